"""Writers: one module per export format, each turning the simulated world into real files."""
