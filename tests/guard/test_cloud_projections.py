"""A cloud describe that returns environment variables is ordinary when every output option
names only fields that hold none (reveal.named_fields_only)."""

from __future__ import annotations

from .expect import allowed, each, held


def test_named_fields_keep_the_environment_off_the_screen() -> None:
    each(["gcloud run services describe api --region us-central1 --format='value(status.url)'",
          "gcloud run services describe api --format='value(status.url,status.observedGeneration)'",
          "aws lambda get-function-configuration --function-name f --query "
          "'Runtime'", "aws lambda get-function-configuration --function-name f --query Runtime "
          "--output json"], allowed)
    each(["gcloud run services describe api --format='value(spec.template.spec.containers[0]."
          "env)'", "gcloud run services describe api --format=json",
          "aws lambda get-function-configuration --function-name f",
          "aws lambda get-function-configuration --function-name f --query 'Environment'",
          "aws lambda get-function-configuration --function-name f --query 'Runtime' --query "
          "'Environment'", "aws lambda get-function-configuration --function-name f --query "
          "'[Runtime,Environment]'", "aws lambda get-function-configuration --function-name f "
          "--query '*'", "aws lambda get-function-configuration --function-name f --query \"$Q\"",
          "aws apprunner describe-service --service-arn x --query 'Service'",
          "gcloud run services describe api --format='value(status.url)' --format=json",
          "aws secretsmanager get-secret-value --secret-id x --query 'Name'",
          # a projection with an option that prints the HTTP bodies (the whole response)
          "aws lambda get-function-configuration --function-name f --query Runtime --debug",
          "gcloud run services describe api --format='value(status.url)' --log-http",
          "aws lambda get-function-configuration --function-name f --query 'Runtime' "
          "--cli-input-json file://x.json"], held)
