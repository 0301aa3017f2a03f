//! An SSDA903 path that cannot be looked at says why: a link that loops is not "no such file".

use csc_api::{Input, Inputs, Source, load};
use csc_measures::ErrorKind;
use csc_measures::records::ReturnKind;

fn load_path(p: std::path::PathBuf) -> csc_measures::Error {
    let inputs = Inputs {
        returns: vec![Input {
            kind: ReturnKind::Ssda903,
            source: Source::Path(p),
            year: Some(2024),
        }],
        frames: Vec::new(),
        sample: None,
        strict: false,
    };
    load(&inputs, &|_| {}).unwrap_err()
}

#[cfg(unix)]
#[test]
fn a_link_that_loops_or_leads_nowhere_is_named_as_such() {
    let dir = std::env::temp_dir().join(format!("csc-api-links-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    std::os::unix::fs::symlink(dir.join("l2"), dir.join("l1")).unwrap();
    std::os::unix::fs::symlink(dir.join("l1"), dir.join("l2")).unwrap();
    std::os::unix::fs::symlink(dir.join("nowhere"), dir.join("dangling")).unwrap();
    let e = load_path(dir.join("l1"));
    assert_eq!(e.kind(), ErrorKind::Io);
    assert!(e.to_string().contains("cannot be read"), "{e}");
    assert!(!e.to_string().contains("no such file"), "{e}");
    let e = load_path(dir.join("dangling"));
    assert!(
        e.to_string()
            .ends_with("a link to nothing (a dangling link)"),
        "{e}"
    );
    let e = load_path(dir.join("absent"));
    assert!(e.to_string().ends_with("no such file or folder"), "{e}");
    std::fs::remove_dir_all(&dir).unwrap();
}
