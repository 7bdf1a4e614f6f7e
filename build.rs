// The migrations are embedded in the binary by a macro; tell cargo to rebuild when one is added
// or changed, which it would not notice on its own.
fn main() {
    println!("cargo:rerun-if-changed=migrations");
}
