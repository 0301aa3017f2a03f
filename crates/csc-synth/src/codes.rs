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

/// `AssessmentFactors` identified at the end of an assessment (except domestic abuse, drawn as
/// [`DOMESTIC_ABUSE`]): each code with its relative weight and the youngest age (at the
/// assessment's start) at which it is drawn. An assessment draws one to three distinct codes, or
/// `21` (no factors identified) alone. The weights make the share of assessments holding each code
/// loosely that of DfE's published figures for 2023-24 (table C3): 4B (mental health of a parent)
/// about a third; emotional abuse (17A), neglect (16A) and 3C about a fifth each; some domestic
/// abuse in about three in ten; `21` about one in twelve.
pub(crate) const FACTORS: &[(&str, u32, i32)] = &[
    ("1A", 8, 11),
    ("1B", 88, 0),
    ("1C", 10, 0),
    ("2A", 12, 11),
    ("2B", 100, 0),
    ("2C", 10, 0),
    ("4A", 190, 5),
    ("4B", 380, 0),
    ("4C", 20, 0),
    ("5A", 42, 0),
    ("5B", 20, 0),
    ("5C", 5, 0),
    ("6A", 30, 0),
    ("6B", 10, 0),
    ("6C", 5, 0),
    ("7A", 20, 8),
    ("8B", 2, 0),
    ("8C", 2, 0),
    ("8D", 2, 0),
    ("8E", 2, 0),
    ("8F", 8, 0),
    ("10A", 78, 10),
    ("11A", 88, 10),
    ("12A", 25, 10),
    ("13A", 30, 10),
    ("14A", 160, 10),
    ("15A", 155, 10),
    ("16A", 180, 0),
    ("17A", 200, 0),
    ("18B", 72, 0),
    ("18C", 18, 0),
    ("19B", 40, 0),
    ("19C", 18, 0),
    ("20", 50, 0),
    ("22A", 10, 0),
    ("23A", 10, 0),
    ("24A", 70, 10),
];

/// Domestic abuse (3A child, 3B parent or carer, 3C another person): drawn from [`FACTORS`] as
/// one finding with this weight, then one to three of these codes by their weights.
pub(crate) const DOMESTIC_ABUSE_WEIGHT: u32 = 330;
/// See [`DOMESTIC_ABUSE_WEIGHT`].
pub(crate) const DOMESTIC_ABUSE: Weighted = &[("3A", 8), ("3B", 20), ("3C", 22)];

/// The first factor of a young person remanded to local authority accommodation (an
/// unaccompanied asylum-seeking child's is `9A`).
pub(crate) const FACTORS_REMAND: Weighted = &[("24A", 40), ("13A", 30), ("14A", 30), ("2A", 20)];

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
    ("E2", 10),
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

/// `REVIEW_CODE` of a child aged 4 or over (PN0: under 4): how the child took part in the review.
pub(crate) const REVIEW_CODE: Weighted = &[
    ("PN1", 52),
    ("PN2", 8),
    ("PN3", 6),
    ("PN4", 5),
    ("PN5", 12),
    ("PN6", 7),
    ("PN7", 10),
];

/// `SW_REASON` of a change of social worker (the first of a period of care: `CHCHAN`).
pub(crate) const SW_REASON: Weighted = &[
    ("LEFTRL", 34),
    ("MANAGE", 22),
    ("ORGRST", 10),
    ("FCONTA", 9),
    ("ABSENC", 7),
    ("CHCHAN", 8),
    ("PCCHAN", 5),
    ("TSPROC", 2),
    ("OTHERS", 3),
];

/// `PREV_PERM`: adoption (P1), special guardianship (P2), residence or child arrangements (P3).
pub(crate) const PREV_PERM: Weighted = &[("P1", 30), ("P2", 50), ("P3", 20)];

/// `LA_PERM`: the local authority that made the order (mostly this one, then neighbours).
pub(crate) const LA_PERM: Weighted = &[
    ("391", 55),
    ("390", 8),
    ("392", 8),
    ("393", 6),
    ("394", 6),
    ("805", 4),
    ("807", 4),
    ("840", 4),
    ("330", 2),
    ("202", 2),
    ("NUK", 1),
];

/// `SDQ_REASON` of a child aged 4 to 16 without a score (SDQ1 is for other ages).
pub(crate) const SDQ_REASON: Weighted = &[("SDQ2", 25), ("SDQ3", 15), ("SDQ4", 35), ("SDQ5", 25)];

/// `IN_TOUCH` of care leavers aged 17 or 18.
pub(crate) const IN_TOUCH_17_18: Weighted = &[
    ("YES", 910),
    ("NO", 20),
    ("REFU", 20),
    ("NREQ", 5),
    ("RHOM", 43),
    ("DIED", 2),
];

/// `IN_TOUCH` of care leavers aged 19 to 21.
pub(crate) const IN_TOUCH_19_21: Weighted = &[
    ("YES", 905),
    ("NO", 35),
    ("REFU", 25),
    ("NREQ", 20),
    ("RHOM", 13),
    ("DIED", 2),
];

/// `ACTIV` of care leavers aged 17 or 18 in touch: EET (F1, P1, F2, P2, F4, P4, F5, P5) about 66%.
pub(crate) const ACTIV_17_18: Weighted = &[
    ("F1", 2),
    ("P1", 1),
    ("F2", 36),
    ("P2", 6),
    ("F4", 6),
    ("P4", 1),
    ("F5", 9),
    ("P5", 5),
    ("G4", 7),
    ("G5", 23),
    ("G6", 4),
];

/// `ACTIV` of care leavers aged 19 to 21 in touch: EET about 63%.
pub(crate) const ACTIV_19_21: Weighted = &[
    ("F1", 9),
    ("P1", 1),
    ("F2", 14),
    ("P2", 4),
    ("F4", 6),
    ("P4", 1),
    ("F5", 23),
    ("P5", 6),
    ("G4", 11),
    ("G5", 21),
    ("G6", 7),
];

/// `ACCOM` of care leavers aged 17 or 18 in touch: suitable (ending 1) about 92%, unsuitable
/// (ending 2) some, abroad, deported or not known (G, H, R) rare.
pub(crate) const ACCOM_17_18: Weighted = &[
    ("B1", 14),
    ("C1", 5),
    ("D1", 18),
    ("E1", 12),
    ("K1", 3),
    ("S1", 12),
    ("T1", 4),
    ("Y1", 20),
    ("Z1", 2),
    ("X1", 2),
    ("B2", 2),
    ("S2", 3),
    ("U2", 1),
    ("V2", 1),
    ("W2", 2),
    ("X2", 1),
    ("R1", 1),
];

/// `ACCOM` of care leavers aged 19 to 21 in touch.
pub(crate) const ACCOM_19_21: Weighted = &[
    ("B1", 13),
    ("D1", 8),
    ("E1", 6),
    ("K1", 5),
    ("S1", 42),
    ("T1", 3),
    ("Y1", 8),
    ("Z1", 5),
    ("X1", 4),
    ("B2", 1),
    ("S2", 2),
    ("U2", 1),
    ("W2", 1),
    ("G1", 1),
    ("R2", 1),
];
