//! Code lists and the weights the generator draws them with.
//!
//! Weights are relative frequencies, loosely after the published national tables (DfE "Characteristics
//! of children in need" and "Children looked after in England"); they make plausible data, not
//! statistics.

/// A code and its relative weight.
pub(crate) type Weighted = &'static [(&'static str, u32)];

/// CIN `ReferralSource`.
pub(crate) const REFERRAL_SOURCE: Weighted = &[
    ("1A", 3),
    ("1B", 2),
    ("1C", 4),
    ("1D", 2),
    ("2A", 6),
    ("2B", 2),
    ("3A", 12),
    ("3B", 3),
    ("3C", 4),
    ("3D", 8),
    ("3E", 6),
    ("3F", 5),
    ("4", 2),
    ("5A", 28),
    ("5B", 2),
    ("5C", 3),
    ("5D", 2),
    ("6", 2),
    ("7", 1),
    ("8", 2),
    ("9", 1),
    ("10", 2),
];

/// CIN `PrimaryNeedCode` at referral.
pub(crate) const NEED: Weighted = &[
    ("N1", 56),
    ("N2", 4),
    ("N3", 4),
    ("N4", 9),
    ("N5", 16),
    ("N6", 2),
    ("N7", 1),
    ("N8", 3),
];

/// Primary need of the children who come into care from a CIN episode.
pub(crate) const NEED_CARE: Weighted = &[
    ("N1", 66),
    ("N2", 2),
    ("N3", 3),
    ("N4", 8),
    ("N5", 14),
    ("N6", 2),
    ("N7", 1),
    ("N8", 4),
];

/// `AssessmentFactors`.
pub(crate) const FACTORS: &[&str] = &[
    "1B", "1C", "2B", "2C", "3B", "3C", "4B", "4C", "5B", "5C", "6B", "6C", "7A", "8B", "8C", "8D",
    "8E", "8F", "9A", "10A", "11A", "12A", "13A", "14A", "15A", "16A", "17A", "18B", "18C", "19B",
    "19C", "20", "21", "22A", "23A", "24A",
];

/// Categories of abuse (initial and latest).
pub(crate) const CATEGORY: Weighted =
    &[("NEG", 48), ("EMO", 38), ("PHY", 7), ("SAB", 4), ("MUL", 3)];

/// SSDA903 `ETHNIC` / CIN `Ethnicity`.
pub(crate) const ETHNIC: Weighted = &[
    ("WBRI", 680),
    ("WIRI", 5),
    ("WIRT", 4),
    ("WOTH", 40),
    ("WROM", 6),
    ("MWBC", 28),
    ("MWBA", 8),
    ("MWAS", 10),
    ("MOTH", 20),
    ("AIND", 12),
    ("APKN", 22),
    ("ABAN", 8),
    ("AOTH", 10),
    ("BCRB", 12),
    ("BAFR", 30),
    ("BOTH", 8),
    ("CHNE", 2),
    ("OOTH", 20),
    ("REFU", 5),
    ("NOBT", 10),
];

/// CIN `Disability` codes, for the children who have one.
pub(crate) const DISABILITY: Weighted = &[
    ("AUT", 30),
    ("LD", 25),
    ("BEH", 12),
    ("COMM", 10),
    ("MOB", 8),
    ("CON", 5),
    ("HAND", 3),
    ("HEAR", 3),
    ("VIS", 2),
    ("PC", 1),
    ("INC", 1),
];

/// `REASON_PLACE_CHANGE` of a move to new carers.
pub(crate) const PLACE_CHANGE: Weighted = &[
    ("CARPL", 40),
    ("CLOSE", 4),
    ("ALLEG", 3),
    ("STAND", 3),
    ("APPRR", 2),
    ("CREQB", 16),
    ("CREQO", 10),
    ("CHILD", 8),
    ("LAREQ", 6),
    ("PLACE", 4),
    ("OTHER", 4),
];

/// `REC` of a return home or other exit before 18 (not permanence orders or adoption).
pub(crate) const REC_HOME: Weighted = &[
    ("E4A", 520),
    ("E4B", 70),
    ("E13", 220),
    ("E8", 60),
    ("E3", 30),
    ("E16", 15),
    ("E9", 15),
    ("E2", 4),
];

/// `REC` of a special guardianship order.
pub(crate) const REC_SGO: Weighted = &[("E45", 40), ("E46", 12), ("E47", 38), ("E48", 10)];

/// `REC` of a young person leaving care at 18.
pub(crate) const REC_AGE_OUT: Weighted = &[
    ("E17", 20),
    ("E5", 28),
    ("E6", 8),
    ("E8", 22),
    ("E4A", 8),
    ("E7", 3),
    ("E71", 5),
    ("E72", 6),
];

/// `REC` of a short break.
pub(crate) const REC_SHORT_BREAK: Weighted = &[("E13", 60), ("E4A", 30), ("E8", 10)];

/// Placement types of a new placement for a child of each age band.
pub(crate) const PLACE_INFANT: Weighted = &[
    ("U6", 52),
    ("U3", 14),
    ("U4", 6),
    ("U5", 9),
    ("U2", 3),
    ("R3", 8),
    ("P1", 5),
    ("Z1", 1),
];
/// Ages 1-4.
pub(crate) const PLACE_YOUNG: Weighted = &[
    ("U6", 55),
    ("U3", 18),
    ("U4", 10),
    ("U5", 3),
    ("P1", 6),
    ("K2", 1),
    ("Z1", 1),
];
/// Ages 5-10.
pub(crate) const PLACE_CHILD: Weighted = &[
    ("U6", 45),
    ("U3", 15),
    ("U4", 20),
    ("U1", 5),
    ("K2", 7),
    ("P1", 5),
    ("S1", 1),
    ("R1", 1),
    ("Z1", 1),
];
/// Ages 11-15.
pub(crate) const PLACE_TEEN: Weighted = &[
    ("U6", 32),
    ("U4", 15),
    ("U3", 10),
    ("U1", 4),
    ("K2", 22),
    ("K1", 2),
    ("S1", 3),
    ("P1", 4),
    ("R1", 2),
    ("R2", 1),
    ("H5", 2),
    ("Z1", 3),
];
/// Ages 16-17.
pub(crate) const PLACE_OLDER: Weighted = &[
    ("H5", 30),
    ("U6", 18),
    ("U4", 8),
    ("U3", 6),
    ("K2", 15),
    ("P2", 10),
    ("P1", 4),
    ("P3", 1),
    ("R2", 1),
    ("S1", 1),
    ("Z1", 3),
    ("K1", 1),
    ("R5", 2),
];
/// Unaccompanied asylum-seeking children on arrival.
pub(crate) const PLACE_UASC: Weighted =
    &[("H5", 35), ("U6", 35), ("K2", 10), ("U4", 10), ("P2", 10)];
/// Children remanded to local authority accommodation.
pub(crate) const PLACE_REMAND: Weighted = &[("R5", 30), ("K1", 20), ("K2", 30), ("U6", 20)];
/// Temporary placements.
pub(crate) const PLACE_TEMP: Weighted =
    &[("T0", 10), ("T1", 25), ("T2", 15), ("T3", 30), ("T4", 20)];

/// `LS_ADOPTR` with `SEX_ADOPTR` for a couple of different sexes.
pub(crate) const ADOPTER_MF: Weighted = &[("L11", 80), ("L3", 20)];
/// `LS_ADOPTR` for a same-sex couple.
pub(crate) const ADOPTER_SAME: Weighted = &[("L12", 45), ("L2", 35), ("L4", 20)];

/// Postcode areas: the local authority's own (most placements) and elsewhere.
pub(crate) const POST_AREAS: Weighted = &[
    ("NE", 40),
    ("SR", 18),
    ("DH", 16),
    ("TS", 6),
    ("DL", 4),
    ("LS", 3),
    ("M", 3),
    ("B", 3),
    ("BD", 2),
    ("YO", 2),
    ("CA", 1),
    ("S", 2),
];

/// The letters of a postcode's unit.
pub(crate) const POST_UNIT_LETTERS: &[u8] = b"ABDEFGHJLNPQRSTUWXYZ";
