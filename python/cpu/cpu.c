/* soleus._cpu: which build of the engine this CPU can run (see python/CMakeLists.txt).
 * Compiled for the baseline and free of pybind11, so importing it is safe on any x86-64
 * and it never clashes with the engine module's type registrations. */
#define PY_SSIZE_T_CLEAN
#include <Python.h>

/* 1 when the CPU (and the OS, which must save the YMM registers) supports every
 * instruction set extension the x86-64-v3 module (soleus._core_avx2) is compiled for. */
static int soleus_has_x86_64_v3(void) {
#if (defined(__x86_64__) || defined(__i386__)) && (defined(__GNUC__) || defined(__clang__))
  __builtin_cpu_init();
  /* libgcc's / compiler-rt's checks include OS support (XGETBV) for AVX. */
  return __builtin_cpu_supports("avx") && __builtin_cpu_supports("avx2") &&
         __builtin_cpu_supports("fma") && __builtin_cpu_supports("bmi") &&
         __builtin_cpu_supports("bmi2") && __builtin_cpu_supports("f16c") &&
         __builtin_cpu_supports("movbe") && __builtin_cpu_supports("popcnt")
#if defined(__GNUC__) && !defined(__clang__) && __GNUC__ >= 12
         && __builtin_cpu_supports("lzcnt") && __builtin_cpu_supports("x86-64-v3")
#endif
      ;
#else
  return 0;
#endif
}

static PyObject* has_x86_64_v3(PyObject* self, PyObject* args) {
  (void)self;
  (void)args;
  return PyBool_FromLong(soleus_has_x86_64_v3());
}

static PyMethodDef cpu_methods[] = {
    {"has_x86_64_v3", has_x86_64_v3, METH_NOARGS,
     "True when this CPU runs x86-64-v3 code (AVX2, FMA, BMI1/2, F16C, MOVBE) and the OS saves YMM."},
    {NULL, NULL, 0, NULL}};

static struct PyModuleDef cpu_module = {PyModuleDef_HEAD_INIT, "_cpu",
                                        "CPU feature check of the soleus package (internal).", -1,
                                        cpu_methods, NULL, NULL, NULL, NULL};

PyMODINIT_FUNC PyInit__cpu(void) { return PyModule_Create(&cpu_module); }
