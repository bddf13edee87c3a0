//! Generates the parser from grammar/minijs.lalrpop into $OUT_DIR (LALRPOP's usual setup).
//! The generated file is not committed: it is large and is rebuilt whenever the grammar changes.
fn main() {
    println!("cargo:rerun-if-changed=grammar/minijs.lalrpop");
    lalrpop::Configuration::new()
        .set_in_dir("grammar")
        .set_out_dir(std::env::var("OUT_DIR").expect("OUT_DIR is set by cargo"))
        .process()
        .expect("the grammar in grammar/ compiles");
}
