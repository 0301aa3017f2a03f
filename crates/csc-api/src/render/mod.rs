//! Renderers: a response (and a load, and a scorecard) as JSON in the one shape every surface
//! gives, as CSV, as text for people, as HTML for notebooks, and the scorecard as a page for a
//! panel ([`html`]).

pub mod csv;
pub mod html;
pub mod json;
pub mod text;
