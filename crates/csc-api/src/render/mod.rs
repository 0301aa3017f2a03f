//! Renderers: a response (and a load, and a scorecard) as JSON in the one shape every surface
//! gives, as CSV, as text for people, as HTML for notebooks.

pub mod csv;
pub mod json;
pub mod text;
