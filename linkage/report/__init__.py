"""Writers: the only place linkage creates files (tables, manifest, drafts of case.toml)."""
