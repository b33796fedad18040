// Anchors a shared precompiled header (the tests' and the fuzzers').
