"""The assets: landing (raw tables), dbt (staging, intermediate, marts), serving."""

OWNER = "team:tradebloc"
