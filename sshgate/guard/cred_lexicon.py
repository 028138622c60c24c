"""One credential lexicon for the readers of a database's rows (SQL clients, mongosh, dump
tools): the column names that hold a credential, and the tables and collections whose whole
rows do (red team s16). Pure.

A column is held by name wherever it is read (``user_pass``, ``encrypted_password``,
``reset_password_token``, ``otp_secret``, ``apiKey``); a table of accounts, tokens, sessions
or secrets (``wp_users``, ``auth_user``, ``oauth_access_tokens``, ``django_session``) is held
for ``*``, a whole-row function, or a column of its own that is a credential there (``key``).
A count of rows, or ``id, email, created_at`` from ``users``, reads none.
"""

from __future__ import annotations

import re

#: a word of a column's name (snake_case, camelCase split) that names a credential
_COLUMN_WORD = re.compile(
    r"(?<![a-z])(?:pass|passwd|passwords?|passphrase|pwd|hash|hashed|salt|tokens?|secrets?|"
    r"api_?keys?|apikey|private_?keys?|otp|totp|mfa_secret|authentication_string|"
    r"session_key|session_data|credentials?|crypted_password|encrypted_[a-z0-9_]+|"
    r"refresh_token|access_token|recovery_codes?|otp_backup_codes|"
    # (harmful sets s16/s17) a connection string with its password (primary_conninfo,
    # pg_subscription.subconninfo), a payment card's number and code
    r"primary_conninfo|subconninfo|card_?number|cc_?num(?:ber)?|pan|cvv2?|cvc2?)(?![a-z])")
#: more columns that hold the credential of a credential table (authtoken_token.key)
_TABLE_COLUMN = re.compile(r"(?<![a-z])(?:key|value|data|digest|code|uid)(?![a-z])")
#: tables and collections of accounts, tokens, sessions and secrets (the name's last part)
_TABLE = re.compile(r"(?:^|_)(?:users?|accounts?|admins?|members?|logins?|"
                    # (harmful set s17) an application's settings rows, where payment and
                    # mail plugins keep their API keys (wp_options, core_config_data)
                    r"options|settings|config_data|configs?|configuration)$")
_TABLE_WORD = re.compile(r"(?<![a-z])(?:tokens?|sessions?|secrets?|credentials?|passwords?|"
                         r"api_?keys?|apikeys?|oauth|authtoken|keys?)(?![a-z])")
_CATALOG = frozenset({"mysql.servers", "mysql.user", "mysql.global_priv",
                      # (harmful set s16) a foreign server's user mappings with their
                      # passwords, logical replication's connection strings
                      "information_schema.user_mapping_options", "user_mapping_options",
                      "pg_user_mappings", "pg_user_mapping", "pg_subscription",
                      "pg_authid", "pg_shadow"})
#: every setting at once (a standby's primary_conninfo with its password among them)
_SHOW_ALL = re.compile(r"(?i)\A\s*+show\s++all\b")


def _snake(name: str) -> str:
    return re.sub(r"([a-z0-9])([A-Z])", r"\1_\2", name).lower()


def credential_column(name: str) -> bool:
    """``name`` (a column or document field) names a credential."""
    return bool(_COLUMN_WORD.search(_snake(name)))


def credential_table(name: str) -> bool:
    """``name`` (``schema.table``, a collection) holds credentials in its rows."""
    full = re.sub(r"\s+", "", name).lower()
    if full in _CATALOG:
        return True
    last = _snake(full.rsplit(".", 1)[-1])
    return bool(_TABLE.search(last) or last.startswith("auth_") or _TABLE_WORD.search(last))


_STRING = re.compile(r"'(?:[^']|'')*'")
_IDENT = re.compile(r"[A-Za-z_][A-Za-z0-9_$]*")
_TABLES = re.compile(r"(?i)\b(?:from|join|table|update|into)\s+([A-Za-z_][\w$]*"
                     r"(?:\s*\.\s*[A-Za-z_][\w$]*)*)")
_STAR = re.compile(r"(?i)(?:\bselect\s+(?:distinct\s+|all\s+)?|,\s*|\.)\*|^\s*table\b")
_SHOW_CREATE_USER = re.compile(r"(?i)\A\s*+show\s++create\s++user\b")
_EXPLAIN = re.compile(r"(?i)\A\s*+explain\b")
_WHOLE_ROW = re.compile(r"(?i)\b(?:row_to_json|to_jsonb?|json_agg|jsonb_agg|array_agg|"
                        r"json_object|json_arrayagg|json_group_array|hstore|row)\s*\(")


def sql_credential_why(sql: str) -> str | None:
    """Why ``sql`` (read-only already) reads a credential, or None."""
    text = _STRING.sub("''", sql)
    for q in '"`[]':
        text = text.replace(q, "")
    for s in text.split(";"):
        if _SHOW_CREATE_USER.match(s):
            return "SHOW CREATE USER prints the account's password hash"
        if _SHOW_ALL.match(s):
            return "SHOW ALL prints every setting, a replication password among them"
        if _EXPLAIN.match(s):
            continue  # a plan (EXPLAIN ANALYZE runs its read but prints no row)
        tables = [t for t in _TABLES.findall(s)]
        names = {p.strip().lower() for t in tables for p in t.split(".")}
        cred = [t for t in tables if credential_table(t)]
        for w in _IDENT.findall(s):
            if w.lower() in names:
                continue
            if credential_column(w) or (cred and _TABLE_COLUMN.search(_snake(w))):
                return f"reads {w}, a credential"
        if cred and (_STAR.search(re.sub(r"\(\s*\*\s*\)", "()", s)) or _WHOLE_ROW.search(s)):
            return f"reads whole rows of {cred[0].strip()}, which hold credentials"
    return None
