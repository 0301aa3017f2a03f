//! Synthetic local authority (placeholder until written).
