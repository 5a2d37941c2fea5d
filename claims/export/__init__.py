"""Claims leaving the system: schema.org ClaimReview, and the full-fidelity export/import."""
