"""Running it like an appliance: backup/restore, privacy (find/export/erase, retention), doctor, metrics,
stats, and the systemd installer. Library functions; the CLI is receptionist/cli/ops_cmd.py."""
