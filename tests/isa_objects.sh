#!/usr/bin/env bash
# The household kernels' objects compiled for AVX2 and AVX-512 must define no symbol the linker
# could share with other code (weak or unique symbols: inline functions, template instances):
# otherwise the linker may keep their AVX-512 copy and code that runs on any machine would call
# it. Only the kernel table, in its instruction set's namespace, may be visible (and, in an
# AddressSanitizer build, ASan's indicator of that table for its one-definition check). Also
# allowed: DW.ref.__gxx_personality_v0, which some builds (ThreadSanitizer) emit: a pointer to
# the C++ runtime's exception personality routine, data and not code of ours; and the type
# descriptors of function types ("typeinfo for void (double, ...)") that clang's
# UndefinedBehaviorSanitizer emits for its check of calls through function pointers: data, the
# same in every object.
set -euo pipefail
function_typeinfo='typeinfo (name )?for [^(]*\(.*\)$'
status=0
for object in "$@"; do
  shared=$(nm -C "$object" | awk '$2 ~ /^[WVu]$/ && $3 != "DW.ref.__gxx_personality_v0"' |
    grep -v -E "^[0-9a-f]* V $function_typeinfo" || true)
  visible=$(nm -C --defined-only --extern-only "$object" | awk '{$1=""; $2=""; print}' |
    grep -v -E "^ +$function_typeinfo" |
    grep -v -E '^ +aidflow::model::(avx2|avx512)::kernels$' |
    grep -v -E '^ +__odr_asan\._ZN7aidflow5model(4avx2|6avx512)7kernelsE$' |
    grep -v -E '^ +DW\.ref\.__gxx_personality_v0$' || true)
  if [[ -n $shared || -n $visible ]]; then
    echo "$object defines symbols other code could link to:" >&2
    echo "$shared" "$visible" >&2
    status=1
  else
    echo "$(basename "$object"): only its kernel table is visible"
  fi
done
exit $status
