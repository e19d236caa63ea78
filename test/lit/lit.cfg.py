# lit configuration of adjoint's end-to-end tests: each test compiles C++ with
# the plugin (or through adjoint-gen), FileChecks the generated code and runs
# the program to check the gradient values.
import os
import lit.formats

config.name = "adjoint"
config.test_format = lit.formats.ShTest(execute_external=False)
config.suffixes = [".cpp"]
config.excludes = ["Inputs"]
config.test_source_root = os.path.dirname(__file__)
config.test_exec_root = os.path.join(config.adjoint_obj_root, "test", "lit")

include = os.path.join(config.adjoint_src_root, "include")
plugin = os.path.join(config.adjoint_obj_root, "lib", "libAdjointPlugin.so")
adjoint_gen = os.path.join(config.adjoint_obj_root, "bin", "adjoint-gen")
runtime = config.adjoint_runtime_libs

cxx = "%s -std=c++17 -O1 -I%s" % (config.adjoint_clangxx, include)
# `lit --param sanitize=1` (ctest's lit-sanitized) builds every test program,
# generated code included, with AddressSanitizer and UndefinedBehaviorSanitizer,
# and any report fails the test.
if lit_config.params.get("sanitize"):
    cxx += " -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer"
    config.environment["ASAN_OPTIONS"] = "abort_on_error=0:detect_leaks=1"
    config.environment["UBSAN_OPTIONS"] = "print_stacktrace=1"
    config.available_features.add("sanitize")
# The tests also check every reverse sweep against the analysis (verify).
config.substitutions.append(("%adjoint_cxx", "%s -fplugin=%s -fplugin-arg-adjoint-verify" % (cxx, plugin)))
config.substitutions.append(("%plain_cxx", cxx))
config.substitutions.append(("%plugin", plugin))
config.substitutions.append(("%adjoint_gen", adjoint_gen))
config.substitutions.append(("%adjoint_include", include))
config.substitutions.append(("%adjoint_link", runtime))
config.substitutions.append(("%clangxx", config.adjoint_clangxx))
config.substitutions.append(("%gxx", "g++ -std=c++17 -O1 -I%s" % include))
config.substitutions.append(("FileCheck", config.adjoint_filecheck))
config.substitutions.append(("not ", config.adjoint_not + " "))
config.available_features.add("clang-%s" % config.adjoint_llvm_version)
config.environment["LC_ALL"] = "C"
# Clang 19 and 22 (unlike 14 to 16) print a diagnostic's source line and
# caret after a line-number gutter ("    7 |   asm(...)"); the tests that
# check those lines accept both forms with {{^( *[0-9]* [|] ?)?}}.
# Graphviz renders adjoint-gen --graph=dot output to SVG (test/lit/explain).
import shutil
if shutil.which("dot"):
    config.available_features.add("dot")
