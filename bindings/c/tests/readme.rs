//! The C example on the project's first page is the one the C tests compile and run (the first C
//! program of bindings/c/README.md): the two must not drift apart.

use std::path::Path;

fn first_c_program(path: &Path) -> String {
    let text = std::fs::read_to_string(path).unwrap();
    text.split("```c\n")
        .skip(1)
        .map(|b| b.split("```").next().unwrap_or_default())
        .find(|b| b.contains("int main"))
        .unwrap_or_else(|| panic!("{} has no C program", path.display()))
        .to_owned()
}

#[test]
fn the_readme_shows_the_tested_c_example() {
    let here = Path::new(env!("CARGO_MANIFEST_DIR"));
    assert_eq!(
        first_c_program(&here.join("../../README.md")),
        first_c_program(&here.join("README.md"))
    );
}
