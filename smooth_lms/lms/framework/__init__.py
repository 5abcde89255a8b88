"""How the app uses Frappe: guards for whitelisted methods, the document trail of set-wise writes, batches,
roles and row permissions (read from the DocTypes), LMS Settings as applied, argument checks."""
