#!/usr/bin/env bash
# Cross-compiles translation units that instantiate a float band-pass for a
# Cortex-M4F and prints their code size (text = flash). Fails on any warning.
set -euo pipefail
cd "$(dirname "$0")/../.."
CXX=arm-none-eabi-g++
command -v $CXX >/dev/null || { echo "arm-none-eabi-g++ missing: run scripts/install_deps.sh" >&2; exit 1; }
FLAGS=(-std=c++17 -mcpu=cortex-m4 -mthumb -mfpu=fpv4-sp-d16 -mfloat-abi=hard
       -fno-exceptions -fno-rtti -Os -ffunction-sections -fdata-sections
       -Wall -Wextra -Wpedantic -Werror -Iinclude)
mkdir -p out/arm
for tu in bandpass_m4 kernel_only_m4; do
  $CXX "${FLAGS[@]}" -c tests/arm/$tu.cpp -o out/arm/$tu.o
done
# Link the full design+filter unit into a bare-metal image (newlib, no OS) to
# prove nothing unresolved is needed (no exceptions, no RTTI, no iostream).
cat > out/arm/main.cpp <<'MAIN'
extern "C" int soleus_m4_init(float);
extern "C" float soleus_m4_sample(float);
int main() { if (soleus_m4_init(2000.0f) != 0) return 1; volatile float y = soleus_m4_sample(1.0f); (void)y; return 0; }
MAIN
$CXX "${FLAGS[@]}" -c out/arm/main.cpp -o out/arm/main.o
$CXX -mcpu=cortex-m4 -mthumb -mfpu=fpv4-sp-d16 -mfloat-abi=hard --specs=nosys.specs -Wl,--gc-sections \
  out/arm/main.o out/arm/bandpass_m4.o -o out/arm/bandpass_m4.elf -lm
echo "Cortex-M4F code size (bytes; text = flash, bss = RAM):"
arm-none-eabi-size out/arm/kernel_only_m4.o out/arm/bandpass_m4.o out/arm/bandpass_m4.elf
