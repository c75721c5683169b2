{
  "targets": [
    {
      "target_name": "xasflow_nn",
      "sources": ["xasflow_nn.c"],
      "cflags": ["-O3", "-std=gnu11", "-fno-math-errno", "-fopenmp", "-Wall", "-Wextra", "-Werror=implicit-function-declaration"],
      "ldflags": ["-fopenmp"],
      "cflags!": ["-O2"],
      "libraries": ["-lopenblas", "-lm"]
    }
  ]
}
