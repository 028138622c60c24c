"""Policy: who may reach what, and how command classifications become decisions."""
