/*
 * xasflow neural-network fast path: a context-aware N-API addon (node_api.h only, so it loads in
 * worker_threads and across Node versions) exposing OpenBLAS cblas_sgemm on Float32Array views
 * without copies, plus the memory-bound kernels of training: im2col/col2im for channels-last 1D
 * convolution, fused bias + activation, ReLU/GELU backward, BatchNorm forward/backward and the
 * Adam/AdamW update. Semantics mirror src/nn/backend/js-kernels.ts (PyTorch 1.13 conventions).
 * Every entry point checks its buffer sizes so a wrong call throws instead of corrupting memory.
 */
#define NAPI_VERSION 8
#include <node_api.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#ifdef _OPENMP
#include <omp.h>
#endif

/* OpenBLAS entry points (declared here so no particular cblas.h location is required). */
enum { ROW_MAJOR = 101, NO_TRANS = 111, TRANS = 112 };
extern void cblas_sgemm(int order, int transa, int transb, int m, int n, int k, float alpha, const float *a,
                        int lda, const float *b, int ldb, float beta, float *c, int ldc);
extern void openblas_set_num_threads(int n);
extern int openblas_get_num_threads(void);

#define ADDON_ABI 4
/* Threads for the element-wise kernels (and OpenBLAS). Work is split into g_threads fixed chunks
 * whatever the team size, so results depend only on the thread setting (bit-reproducible). */
static int g_threads = 1;
#define PAR_FOR _Pragma("omp parallel for schedule(static) num_threads(g_threads) if (g_threads > 1)")
/* Chunks for a reduction over `rows`: no more than one chunk per 64 rows. */
static int chunks_for(int rows) {
  int t = g_threads;
  if (t > rows / 64) t = rows / 64;
  return t < 1 ? 1 : t;
}
#define MAX_ARGS 20
enum { ACT_NONE = 0, ACT_RELU = 1, ACT_GELU = 2 };

typedef struct {
  napi_env env;
  napi_value argv[MAX_ARGS];
  size_t argc;
  int failed;
} Args;

static int get_args(napi_env env, napi_callback_info info, Args *a, size_t want) {
  a->env = env;
  a->argc = MAX_ARGS;
  a->failed = 0;
  if (napi_get_cb_info(env, info, &a->argc, a->argv, NULL, NULL) != napi_ok) return 0;
  if (a->argc < want) {
    napi_throw_type_error(env, NULL, "xasflow_nn: too few arguments");
    return 0;
  }
  return 1;
}

static double num(Args *a, size_t i) {
  double v = 0;
  if (a->failed) return 0;
  if (napi_get_value_double(a->env, a->argv[i], &v) != napi_ok) {
    napi_throw_type_error(a->env, NULL, "xasflow_nn: expected a number argument");
    a->failed = 1;
  }
  return v;
}

static int inum(Args *a, size_t i) {
  double v = num(a, i);
  if (!a->failed && (v != floor(v) || v < 0 || v > 2147483647.0)) {
    napi_throw_range_error(a->env, NULL, "xasflow_nn: expected a non-negative integer argument");
    a->failed = 1;
  }
  return (int)v;
}

static int flag(Args *a, size_t i) {
  bool b = false;
  if (a->failed) return 0;
  if (napi_get_value_bool(a->env, a->argv[i], &b) != napi_ok) {
    napi_throw_type_error(a->env, NULL, "xasflow_nn: expected a boolean argument");
    a->failed = 1;
  }
  return b ? 1 : 0;
}

/* A Float32Array argument with at least `need` elements; NULL allowed when nullable. */
static float *f32(Args *a, size_t i, size_t need, int nullable) {
  napi_valuetype t;
  napi_typedarray_type type;
  size_t length = 0;
  void *data = NULL;
  if (a->failed) return NULL;
  napi_typeof(a->env, a->argv[i], &t);
  if (nullable && (t == napi_null || t == napi_undefined)) return NULL;
  bool is_ta = false;
  napi_is_typedarray(a->env, a->argv[i], &is_ta);
  if (!is_ta || napi_get_typedarray_info(a->env, a->argv[i], &type, &length, &data, NULL, NULL) != napi_ok ||
      type != napi_float32_array) {
    napi_throw_type_error(a->env, NULL, "xasflow_nn: expected a Float32Array argument");
    a->failed = 1;
    return NULL;
  }
  if (length < need) {
    napi_throw_range_error(a->env, NULL, "xasflow_nn: Float32Array argument too short for the given shape");
    a->failed = 1;
    return NULL;
  }
  return (float *)data;
}

static napi_value undefined(napi_env env) {
  napi_value u;
  napi_get_undefined(env, &u);
  return u;
}

static size_t need2d(int rows, int cols, int ld) { return rows == 0 ? 0 : (size_t)(rows - 1) * ld + cols; }

/* sgemm(transA, transB, m, n, k, alpha, A, lda, B, ldb, beta, C, ldc) */
static napi_value js_sgemm(napi_env env, napi_callback_info info) {
  Args a;
  if (!get_args(env, info, &a, 13)) return NULL;
  int ta = flag(&a, 0), tb = flag(&a, 1);
  int m = inum(&a, 2), n = inum(&a, 3), k = inum(&a, 4);
  float alpha = (float)num(&a, 5);
  int lda = inum(&a, 7), ldb = inum(&a, 9), ldc = inum(&a, 12);
  float beta = (float)num(&a, 10);
  if (a.failed) return NULL;
  if (lda < (ta ? m : k) || ldb < (tb ? k : n) || ldc < n || lda < 1 || ldb < 1 || ldc < 1) {
    napi_throw_range_error(env, NULL, "xasflow_nn: sgemm leading dimension too small");
    return NULL;
  }
  float *A = f32(&a, 6, ta ? need2d(k, m, lda) : need2d(m, k, lda), 0);
  float *B = f32(&a, 8, tb ? need2d(n, k, ldb) : need2d(k, n, ldb), 0);
  float *C = f32(&a, 11, need2d(m, n, ldc), 0);
  if (a.failed) return NULL;
  if (m == 0 || n == 0) return undefined(env);
  cblas_sgemm(ROW_MAJOR, ta ? TRANS : NO_TRANS, tb ? TRANS : NO_TRANS, m, n, k, alpha, A, lda, B, ldb, beta, C,
              ldc);
  return undefined(env);
}

typedef struct {
  int batch, length, channels, ks, stride, pad, dil, lout;
} Geom;

static int geom(Args *a, size_t i, Geom *g) {
  g->batch = inum(a, i);
  g->length = inum(a, i + 1);
  g->channels = inum(a, i + 2);
  g->ks = inum(a, i + 3);
  g->stride = inum(a, i + 4);
  g->pad = inum(a, i + 5);
  g->dil = inum(a, i + 6);
  g->lout = inum(a, i + 7);
  if (a->failed) return 0;
  if (g->stride < 1 || g->dil < 1 || g->ks < 1) {
    napi_throw_range_error(a->env, NULL, "xasflow_nn: conv stride, dilation and kernel size must be >= 1");
    a->failed = 1;
    return 0;
  }
  return 1;
}

/* Unfolds samples [b0, b1) of x into col (rows of those samples only, k-major windows). */
static void im2col_samples(const float *x, const Geom *g, int b0, int b1, float *col) {
  const size_t ch = g->channels, width = (size_t)g->ks * ch;
  const long rows = (long)(b1 - b0) * g->lout;
  PAR_FOR
  for (long rr = 0; rr < rows; rr++) {
    const int b = b0 + (int)(rr / g->lout), o = (int)(rr % g->lout);
    const float *xb = x + (size_t)b * g->length * ch;
    float *row = col + (size_t)rr * width;
    const int start = o * g->stride - g->pad;
    if (g->dil == 1 && start >= 0 && start + g->ks <= g->length) {
      /* channels-last: an undilated window inside the sample is one contiguous block */
      memcpy(row, xb + (size_t)start * ch, width * sizeof(float));
      continue;
    }
    for (int kk = 0; kk < g->ks; kk++) {
      const int pos = start + kk * g->dil;
      float *dst = row + (size_t)kk * ch;
      if (pos < 0 || pos >= g->length)
        memset(dst, 0, ch * sizeof(float));
      else
        memcpy(dst, xb + (size_t)pos * ch, ch * sizeof(float));
    }
  }
}

/* dx[samples b0..b1) = Σ over windows of col (overwrites those samples of dx). */
static void col2im_samples(const float *col, const Geom *g, int b0, int b1, float *dx) {
  const size_t ch = g->channels, width = (size_t)g->ks * ch;
  PAR_FOR
  for (int b = b0; b < b1; b++) {
    float *xb = dx + (size_t)b * g->length * ch;
    memset(xb, 0, (size_t)g->length * ch * sizeof(float));
    for (int o = 0; o < g->lout; o++) {
      const float *row = col + ((size_t)(b - b0) * g->lout + o) * width;
      const int start = o * g->stride - g->pad;
      for (int kk = 0; kk < g->ks; kk++) {
        const int pos = start + kk * g->dil;
        if (pos < 0 || pos >= g->length) continue;
        const float *src = row + (size_t)kk * ch;
        float *dst = xb + (size_t)pos * ch;
        for (size_t c = 0; c < ch; c++) dst[c] += src[c];
      }
    }
  }
}

/* im2col(x, batch, length, channels, ks, stride, padLeft, dilation, lengthOut, col) */
static napi_value js_im2col(napi_env env, napi_callback_info info) {
  Args a;
  Geom g;
  if (!get_args(env, info, &a, 10) || !geom(&a, 1, &g)) return NULL;
  const size_t width = (size_t)g.ks * g.channels;
  const float *x = f32(&a, 0, (size_t)g.batch * g.length * g.channels, 0);
  float *col = f32(&a, 9, (size_t)g.batch * g.lout * width, 0);
  if (a.failed) return NULL;
  im2col_samples(x, &g, 0, g.batch, col);
  return undefined(env);
}

/* col2im(dcol, batch, length, channels, ks, stride, padLeft, dilation, lengthOut, dx) */
static napi_value js_col2im(napi_env env, napi_callback_info info) {
  Args a;
  Geom g;
  if (!get_args(env, info, &a, 10) || !geom(&a, 1, &g)) return NULL;
  const size_t width = (size_t)g.ks * g.channels;
  const float *col = f32(&a, 0, (size_t)g.batch * g.lout * width, 0);
  float *dx = f32(&a, 9, (size_t)g.batch * g.length * g.channels, 0);
  if (a.failed) return NULL;
  col2im_samples(col, &g, 0, g.batch, dx);
  return undefined(env);
}

/* Samples per chunk of the fused convolution: an unfolded chunk of about 1 MiB stays in cache
 * between im2col and the GEMM, instead of a whole-batch col matrix going through memory. */
static int chunk_samples(const Geom *g) {
  const size_t row_bytes = (size_t)g->ks * g->channels * sizeof(float) * (g->lout > 0 ? g->lout : 1);
  size_t s = ((size_t)1 << 20) / (row_bytes > 0 ? row_bytes : 1);
  if (s < 1) s = 1;
  if (s > (size_t)g->batch) s = g->batch;
  return (int)s;
}

static void bias_act_rows(float *z, const float *bias, long rows, int cols, int act, float *pre);

/* Chunk groups for the convolution kernels: with several threads, each group of sample chunks is
 * worked by one OpenMP thread with a single-threaded GEMM (chunks are too small to split a GEMM
 * well); partial dW are summed in group order, so results depend only on the thread setting. */
static int conv_groups(const Geom *g, int per) {
  const int chunks = (g->batch + per - 1) / per;
  return g_threads < chunks ? g_threads : chunks;
}

static void conv_forward_group(const float *x, const Geom *g, int per, int c0, int c1, const float *w, int cout,
                               const float *bias, int act, float *y, float *pre, float *col) {
  const int width = g->ks * g->channels;
  for (int c = c0; c < c1; c++) {
    const int b0 = c * per, b1 = b0 + per < g->batch ? b0 + per : g->batch;
    const long r0 = (long)b0 * g->lout, nr = (long)(b1 - b0) * g->lout;
    im2col_samples(x, g, b0, b1, col);
    cblas_sgemm(ROW_MAJOR, NO_TRANS, TRANS, (int)nr, cout, width, 1.0f, col, width, w, width, 0.0f,
                y + (size_t)r0 * cout, cout);
    bias_act_rows(y + (size_t)r0 * cout, bias, nr, cout, act, pre ? pre + (size_t)r0 * cout : NULL);
  }
}

static void conv_backward_group(const float *x, const Geom *g, int per, int c0, int c1, const float *w, int cout,
                                const float *dz, float *dw, float *dx, float *col) {
  const int width = g->ks * g->channels;
  for (int c = c0; c < c1; c++) {
    const int b0 = c * per, b1 = b0 + per < g->batch ? b0 + per : g->batch;
    const long r0 = (long)b0 * g->lout, nr = (long)(b1 - b0) * g->lout;
    const float *dzc = dz + (size_t)r0 * cout;
    im2col_samples(x, g, b0, b1, col);
    cblas_sgemm(ROW_MAJOR, TRANS, NO_TRANS, cout, width, (int)nr, 1.0f, dzc, cout, col, width, c == c0 ? 0.0f : 1.0f,
                dw, width);
    if (dx) {
      cblas_sgemm(ROW_MAJOR, NO_TRANS, NO_TRANS, (int)nr, width, cout, 1.0f, dzc, cout, w, width, 0.0f, col, width);
      col2im_samples(col, g, b0, b1, dx);
    }
  }
}

/* convForward(x, batch, length, channels, ks, stride, padLeft, dilation, lengthOut, W, cout,
 *             bias|null, act, y, pre|null): y = act(im2col(x)·Wᵀ + b), in cache-sized chunks. */
static napi_value js_conv_forward(napi_env env, napi_callback_info info) {
  Args a;
  Geom g;
  if (!get_args(env, info, &a, 15) || !geom(&a, 1, &g)) return NULL;
  const int cout = inum(&a, 10), act = inum(&a, 12);
  const int width = g.ks * g.channels;
  const size_t rows = (size_t)g.batch * g.lout;
  const float *x = f32(&a, 0, (size_t)g.batch * g.length * g.channels, 0);
  const float *w = f32(&a, 9, (size_t)cout * width, 0);
  const float *bias = f32(&a, 11, cout, 1);
  float *y = f32(&a, 13, rows * cout, 0);
  float *pre = f32(&a, 14, rows * cout, 1);
  if (a.failed || g.batch == 0) return a.failed ? NULL : undefined(env);
  const int per = chunk_samples(&g), chunks = (g.batch + per - 1) / per, T = conv_groups(&g, per);
  const size_t colf = (size_t)per * g.lout * width;
  float *col = malloc(colf * T * sizeof(float));
  if (!col) {
    napi_throw_error(env, NULL, "xasflow_nn: out of memory");
    return NULL;
  }
  if (T > 1) openblas_set_num_threads(1);
#pragma omp parallel for schedule(static) num_threads(T) if (T > 1)
  for (int t = 0; t < T; t++)
    conv_forward_group(x, &g, per, chunks * t / T, chunks * (t + 1) / T, w, cout, bias, act, y, pre, col + colf * t);
  if (T > 1) openblas_set_num_threads(g_threads);
  free(col);
  return undefined(env);
}

/* convBackward(x, batch, length, channels, ks, stride, padLeft, dilation, lengthOut, W, cout, dz,
 *              dW, dx|null): dW = Σ_chunks dzᵀ·im2col(x); dx = col2im(dz·W), where dz is the
 * gradient at the convolution output (activation already applied). */
static napi_value js_conv_backward(napi_env env, napi_callback_info info) {
  Args a;
  Geom g;
  if (!get_args(env, info, &a, 14) || !geom(&a, 1, &g)) return NULL;
  const int cout = inum(&a, 10);
  const int width = g.ks * g.channels;
  const size_t rows = (size_t)g.batch * g.lout;
  const float *x = f32(&a, 0, (size_t)g.batch * g.length * g.channels, 0);
  const float *w = f32(&a, 9, (size_t)cout * width, 0);
  const float *dz = f32(&a, 11, rows * cout, 0);
  float *dw = f32(&a, 12, (size_t)cout * width, 0);
  float *dx = f32(&a, 13, (size_t)g.batch * g.length * g.channels, 1);
  if (a.failed) return NULL;
  if (g.batch == 0) {
    memset(dw, 0, (size_t)cout * width * sizeof(float));
    return undefined(env);
  }
  const int per = chunk_samples(&g), chunks = (g.batch + per - 1) / per, T = conv_groups(&g, per);
  const size_t colf = (size_t)per * g.lout * width, dwf = (size_t)cout * width;
  float *col = malloc(colf * T * sizeof(float));
  float *part = T > 1 ? malloc(dwf * T * sizeof(float)) : dw;
  if (!col || !part) {
    free(col);
    if (T > 1) free(part);
    napi_throw_error(env, NULL, "xasflow_nn: out of memory");
    return NULL;
  }
  if (T > 1) openblas_set_num_threads(1);
#pragma omp parallel for schedule(static) num_threads(T) if (T > 1)
  for (int t = 0; t < T; t++)
    conv_backward_group(x, &g, per, chunks * t / T, chunks * (t + 1) / T, w, cout, dz, part + dwf * t, dx,
                        col + colf * t);
  if (T > 1) {
    openblas_set_num_threads(g_threads);
    memcpy(dw, part, dwf * sizeof(float));
    for (int t = 1; t < T; t++)
      for (size_t i = 0; i < dwf; i++) dw[i] += part[dwf * t + i];
    free(part);
  }
  free(col);
  return undefined(env);
}

static inline double gelu_d(double x) { return 0.5 * x * erfc(-x * M_SQRT1_2); }
static inline double gelu_grad_d(double x) {
  return 0.5 * erfc(-x * M_SQRT1_2) + x * 0.3989422804014327 * exp(-0.5 * x * x);
}

static void bias_act_rows(float *z, const float *bias, long rows, int cols, int act, float *pre) {
  PAR_FOR
  for (long r = 0; r < rows; r++) {
    float *zr = z + (size_t)r * cols;
    if (bias)
      for (int c = 0; c < cols; c++) zr[c] += bias[c];
    if (pre) memcpy(pre + (size_t)r * cols, zr, cols * sizeof(float));
    if (act == ACT_RELU) {
      for (int c = 0; c < cols; c++) zr[c] = zr[c] > 0.0f ? zr[c] : 0.0f;
    } else if (act == ACT_GELU) {
      for (int c = 0; c < cols; c++) zr[c] = (float)gelu_d(zr[c]);
    }
  }
}

/* biasAct(z, bias|null, rows, cols, act, pre|null) */
static napi_value js_bias_act(napi_env env, napi_callback_info info) {
  Args a;
  if (!get_args(env, info, &a, 6)) return NULL;
  int rows = inum(&a, 2), cols = inum(&a, 3), act = inum(&a, 4);
  size_t total = (size_t)rows * cols;
  float *z = f32(&a, 0, total, 0);
  const float *bias = f32(&a, 1, cols, 1);
  float *pre = f32(&a, 5, total, 1);
  if (a.failed) return NULL;
  bias_act_rows(z, bias, rows, cols, act, pre);
  return undefined(env);
}

/* s1[c] = Σ_r x[r,c] and, if h is given, s2[c] = Σ_r x[r,c]·h[r,c], in double precision, summed
 * per fixed row chunk and then over chunks in order (deterministic for a given thread setting). */
static void col_sums(const float *x, const float *h, int rows, int cols, double *s1, double *s2) {
  const int T = chunks_for(rows);
  const size_t cc = cols > 0 ? cols : 1;
  double *part = calloc((size_t)T * cc * 2, sizeof(double));
#pragma omp parallel for schedule(static) num_threads(g_threads) if (T > 1)
  for (int t = 0; t < T; t++) {
    double *p1 = part + (size_t)t * cc * 2, *p2 = p1 + cc;
    const int r0 = (int)((long)rows * t / T), r1 = (int)((long)rows * (t + 1) / T);
    for (int r = r0; r < r1; r++) {
      const float *xr = x + (size_t)r * cols;
      for (int c = 0; c < cols; c++) p1[c] += xr[c];
      if (h) {
        const float *hr = h + (size_t)r * cols;
        for (int c = 0; c < cols; c++) p2[c] += (double)xr[c] * hr[c];
      }
    }
  }
  for (int c = 0; c < cols; c++) {
    s1[c] = 0;
    if (s2) s2[c] = 0;
  }
  for (int t = 0; t < T; t++) {
    const double *p1 = part + (size_t)t * cc * 2, *p2 = p1 + cc;
    for (int c = 0; c < cols; c++) {
      s1[c] += p1[c];
      if (s2) s2[c] += p2[c];
    }
  }
  free(part);
}

static void col_sum(const float *x, int rows, int cols, float *out) {
  double *acc = calloc(cols > 0 ? cols : 1, sizeof(double));
  col_sums(x, NULL, rows, cols, acc, NULL);
  for (int c = 0; c < cols; c++) out[c] = (float)acc[c];
  free(acc);
}

/* actBackward(dy, ref, rows, cols, act, dbias|null) */
static napi_value js_act_backward(napi_env env, napi_callback_info info) {
  Args a;
  if (!get_args(env, info, &a, 6)) return NULL;
  int rows = inum(&a, 2), cols = inum(&a, 3), act = inum(&a, 4);
  size_t total = (size_t)rows * cols;
  float *dy = f32(&a, 0, total, 0);
  const float *ref = f32(&a, 1, act == ACT_NONE ? 0 : total, 0);
  float *db = f32(&a, 5, cols, 1);
  if (a.failed) return NULL;
  const long n = (long)total;
  if (act == ACT_RELU) {
    PAR_FOR
    for (long i = 0; i < n; i++) dy[i] = ref[i] > 0.0f ? dy[i] : 0.0f;
  } else if (act == ACT_GELU) {
    PAR_FOR
    for (long i = 0; i < n; i++) dy[i] = (float)(dy[i] * gelu_grad_d(ref[i]));
  }
  if (db) col_sum(dy, rows, cols, db);
  return undefined(env);
}

/* colSum(a, rows, cols, out) */
static napi_value js_col_sum(napi_env env, napi_callback_info info) {
  Args a;
  if (!get_args(env, info, &a, 4)) return NULL;
  int rows = inum(&a, 1), cols = inum(&a, 2);
  const float *x = f32(&a, 0, (size_t)rows * cols, 0);
  float *out = f32(&a, 3, cols, 0);
  if (a.failed) return NULL;
  col_sum(x, rows, cols, out);
  return undefined(env);
}

/* bnForwardTrain(x, rows, cols, gamma, beta, eps, momentum, runMean, runVar, xhat, invStd, y, relu) */
static napi_value js_bn_forward_train(napi_env env, napi_callback_info info) {
  Args a;
  if (!get_args(env, info, &a, 13)) return NULL;
  int rows = inum(&a, 1), cols = inum(&a, 2);
  double eps = num(&a, 5), momentum = num(&a, 6);
  const int relu = flag(&a, 12);
  size_t total = (size_t)rows * cols;
  const float *x = f32(&a, 0, total, 0);
  const float *gamma = f32(&a, 3, cols, 0), *beta = f32(&a, 4, cols, 0);
  float *rm = f32(&a, 7, cols, 0), *rv = f32(&a, 8, cols, 0);
  float *xhat = f32(&a, 9, total, 0), *inv = f32(&a, 10, cols, 0), *y = f32(&a, 11, total, 0);
  if (a.failed) return NULL;
  if (rows < 1) {
    napi_throw_range_error(env, NULL, "xasflow_nn: batch norm needs at least one row");
    return NULL;
  }
  double *mean = calloc(cols, sizeof(double)), *sq = calloc(cols, sizeof(double));
  float *meanf = malloc(cols * sizeof(float)), *scale = malloc(cols * sizeof(float));
  col_sums(x, NULL, rows, cols, mean, NULL);
  for (int c = 0; c < cols; c++) {
    mean[c] /= rows;
    meanf[c] = (float)mean[c];
  }
  {
    const int T = chunks_for(rows);
    double *part = calloc((size_t)T * cols, sizeof(double));
#pragma omp parallel for schedule(static) num_threads(g_threads) if (T > 1)
    for (int t = 0; t < T; t++) {
      double *p = part + (size_t)t * cols;
      const int r0 = (int)((long)rows * t / T), r1 = (int)((long)rows * (t + 1) / T);
      for (int r = r0; r < r1; r++) {
        const float *xr = x + (size_t)r * cols;
        for (int c = 0; c < cols; c++) {
          double d = xr[c] - mean[c];
          p[c] += d * d;
        }
      }
    }
    for (int t = 0; t < T; t++)
      for (int c = 0; c < cols; c++) sq[c] += part[(size_t)t * cols + c];
    free(part);
  }
  for (int c = 0; c < cols; c++) {
    double var_b = sq[c] / rows;
    double is = 1.0 / sqrt(var_b + eps);
    inv[c] = (float)is;
    scale[c] = (float)is;
    rm[c] = (float)((1 - momentum) * rm[c] + momentum * mean[c]);
    rv[c] = (float)((1 - momentum) * rv[c] + momentum * (rows > 1 ? sq[c] / (rows - 1) : var_b));
  }
  PAR_FOR
  for (int r = 0; r < rows; r++) {
    const float *xr = x + (size_t)r * cols;
    float *hr = xhat + (size_t)r * cols, *yr = y + (size_t)r * cols;
    for (int c = 0; c < cols; c++) {
      float h = (xr[c] - meanf[c]) * scale[c];
      hr[c] = h;
      yr[c] = gamma[c] * h + beta[c];
    }
    if (relu)
      for (int c = 0; c < cols; c++) yr[c] = yr[c] > 0.0f ? yr[c] : 0.0f;
  }
  free(mean);
  free(sq);
  free(meanf);
  free(scale);
  return undefined(env);
}

/* bnForwardEval(x, rows, cols, gamma, beta, eps, runMean, runVar, y, relu) */
static napi_value js_bn_forward_eval(napi_env env, napi_callback_info info) {
  Args a;
  if (!get_args(env, info, &a, 10)) return NULL;
  int rows = inum(&a, 1), cols = inum(&a, 2);
  double eps = num(&a, 5);
  const int relu = flag(&a, 9);
  size_t total = (size_t)rows * cols;
  const float *x = f32(&a, 0, total, 0);
  const float *gamma = f32(&a, 3, cols, 0), *beta = f32(&a, 4, cols, 0);
  const float *rm = f32(&a, 6, cols, 0), *rv = f32(&a, 7, cols, 0);
  float *y = f32(&a, 8, total, 0);
  if (a.failed) return NULL;
  float *scale = malloc((cols > 0 ? cols : 1) * sizeof(float)), *shift = malloc((cols > 0 ? cols : 1) * sizeof(float));
  for (int c = 0; c < cols; c++) {
    double s = gamma[c] / sqrt((double)rv[c] + eps);
    scale[c] = (float)s;
    shift[c] = (float)(beta[c] - rm[c] * s);
  }
  PAR_FOR
  for (int r = 0; r < rows; r++) {
    const float *xr = x + (size_t)r * cols;
    float *yr = y + (size_t)r * cols;
    if (relu) {
      for (int c = 0; c < cols; c++) {
        float v = xr[c] * scale[c] + shift[c];
        yr[c] = v > 0.0f ? v : 0.0f;
      }
    } else {
      for (int c = 0; c < cols; c++) yr[c] = xr[c] * scale[c] + shift[c];
    }
  }
  free(scale);
  free(shift);
  return undefined(env);
}

/* bnBackward(dy, xhat, invStd, gamma, rows, cols, dgamma, dbeta, dx, reluOut|null): with reluOut,
 * dy is first masked in place where the fused ReLU output is not positive. */
static napi_value js_bn_backward(napi_env env, napi_callback_info info) {
  Args a;
  if (!get_args(env, info, &a, 10)) return NULL;
  int rows = inum(&a, 4), cols = inum(&a, 5);
  size_t total = (size_t)rows * cols;
  float *dy = f32(&a, 0, total, 0);
  const float *xhat = f32(&a, 1, total, 0);
  const float *relu_out = f32(&a, 9, total, 1);
  const float *inv = f32(&a, 2, cols, 0), *gamma = f32(&a, 3, cols, 0);
  float *dg = f32(&a, 6, cols, 0), *dbeta = f32(&a, 7, cols, 0), *dx = f32(&a, 8, total, 0);
  if (a.failed) return NULL;
  double *sdy = calloc(cols > 0 ? cols : 1, sizeof(double)), *sdh = calloc(cols > 0 ? cols : 1, sizeof(double));
  float *k = malloc((cols > 0 ? cols : 1) * sizeof(float)), *kb = malloc((cols > 0 ? cols : 1) * sizeof(float));
  float *kh = malloc((cols > 0 ? cols : 1) * sizeof(float));
  if (relu_out) {
    const long n = (long)total;
    PAR_FOR
    for (long i = 0; i < n; i++) dy[i] = relu_out[i] > 0.0f ? dy[i] : 0.0f;
  }
  col_sums(dy, xhat, rows, cols, sdy, sdh);
  for (int c = 0; c < cols; c++) {
    dbeta[c] = (float)sdy[c];
    dg[c] = (float)sdh[c];
    double kc = (double)gamma[c] * inv[c];
    k[c] = (float)kc;
    kb[c] = (float)(kc * sdy[c] / rows);
    kh[c] = (float)(kc * sdh[c] / rows);
  }
  /* dx = k·dy − k·mean(dy) − xhat·k·mean(dy·xhat) */
  PAR_FOR
  for (int r = 0; r < rows; r++) {
    const float *d = dy + (size_t)r * cols, *h = xhat + (size_t)r * cols;
    float *o = dx + (size_t)r * cols;
    for (int c = 0; c < cols; c++) o[c] = k[c] * d[c] - kb[c] - h[c] * kh[c];
  }
  free(sdy);
  free(sdh);
  free(k);
  free(kb);
  free(kh);
  return undefined(env);
}

/* adam(p, g, m, v, lr, beta1, beta2, eps, weightDecay, decoupled, step) */
static napi_value js_adam(napi_env env, napi_callback_info info) {
  Args a;
  if (!get_args(env, info, &a, 11)) return NULL;
  double lr = num(&a, 4), b1 = num(&a, 5), b2 = num(&a, 6), eps = num(&a, 7), wd = num(&a, 8);
  int decoupled = flag(&a, 9);
  double step = num(&a, 10);
  if (a.failed) return NULL;
  size_t len = 0;
  napi_typedarray_type type;
  void *data;
  if (napi_get_typedarray_info(env, a.argv[0], &type, &len, &data, NULL, NULL) != napi_ok) {
    napi_throw_type_error(env, NULL, "xasflow_nn: expected a Float32Array argument");
    return NULL;
  }
  float *p = f32(&a, 0, len, 0), *g = f32(&a, 1, len, 0), *m = f32(&a, 2, len, 0), *v = f32(&a, 3, len, 0);
  if (a.failed) return NULL;
  const double bc1 = 1 - pow(b1, step);
  const float bc2sqrt = (float)sqrt(1 - pow(b2, step));
  const float step_size = (float)(lr / bc1);
  const float decay = (float)(decoupled ? 1 - lr * wd : 1.0);
  const float l2 = (float)(decoupled ? 0 : wd);
  const float fb1 = (float)b1, fb2 = (float)b2, c1 = (float)(1 - b1), c2 = (float)(1 - b2), feps = (float)eps;
  const long n = (long)len;
  PAR_FOR
  for (long i = 0; i < n; i++) {
    float pi = p[i];
    float gi = g[i] + l2 * pi;
    pi *= decay;
    float mi = fb1 * m[i] + c1 * gi;
    float vi = fb2 * v[i] + c2 * gi * gi;
    m[i] = mi;
    v[i] = vi;
    p[i] = pi - step_size * mi / (sqrtf(vi) / bc2sqrt + feps);
  }
  return undefined(env);
}

/* sumSquares(a) -> number */
static napi_value js_sum_squares(napi_env env, napi_callback_info info) {
  Args a;
  if (!get_args(env, info, &a, 1)) return NULL;
  size_t len = 0;
  napi_typedarray_type type;
  void *data;
  if (napi_get_typedarray_info(env, a.argv[0], &type, &len, &data, NULL, NULL) != napi_ok) {
    napi_throw_type_error(env, NULL, "xasflow_nn: expected a Float32Array argument");
    return NULL;
  }
  const float *x = f32(&a, 0, len, 0);
  if (a.failed) return NULL;
  double total = 0;
  {
    const int T = len < 65536 ? 1 : g_threads;
    double part[256];
    const int TT = T > 256 ? 256 : T;
#pragma omp parallel for schedule(static) num_threads(g_threads) if (TT > 1)
    for (int t = 0; t < TT; t++) {
      const size_t i0 = len * t / TT, i1 = len * (t + 1) / TT;
      double s0 = 0, s1 = 0, s2 = 0, s3 = 0;
      size_t i = i0;
      for (; i + 4 <= i1; i += 4) {
        s0 += (double)x[i] * x[i];
        s1 += (double)x[i + 1] * x[i + 1];
        s2 += (double)x[i + 2] * x[i + 2];
        s3 += (double)x[i + 3] * x[i + 3];
      }
      for (; i < i1; i++) s0 += (double)x[i] * x[i];
      part[t] = (s0 + s1) + (s2 + s3);
    }
    for (int t = 0; t < TT; t++) total += part[t];
  }
  napi_value out;
  napi_create_double(env, total, &out);
  return out;
}

/* scale(a, s) */
static napi_value js_scale(napi_env env, napi_callback_info info) {
  Args a;
  if (!get_args(env, info, &a, 2)) return NULL;
  float s = (float)num(&a, 1);
  size_t len = 0;
  napi_typedarray_type type;
  void *data;
  if (a.failed || napi_get_typedarray_info(env, a.argv[0], &type, &len, &data, NULL, NULL) != napi_ok) {
    if (!a.failed) napi_throw_type_error(env, NULL, "xasflow_nn: expected a Float32Array argument");
    return NULL;
  }
  float *x = f32(&a, 0, len, 0);
  if (a.failed) return NULL;
  const long n = (long)len;
  PAR_FOR
  for (long i = 0; i < n; i++) x[i] *= s;
  return undefined(env);
}

/* add(a, b, out, relu): out = a + b (then ReLU) element-wise (out may alias a or b). */
static napi_value js_add(napi_env env, napi_callback_info info) {
  Args a;
  if (!get_args(env, info, &a, 4)) return NULL;
  const int relu = flag(&a, 3);
  size_t len = 0;
  napi_typedarray_type type;
  void *data;
  if (napi_get_typedarray_info(env, a.argv[2], &type, &len, &data, NULL, NULL) != napi_ok) {
    napi_throw_type_error(env, NULL, "xasflow_nn: expected a Float32Array argument");
    return NULL;
  }
  const float *x = f32(&a, 0, len, 0), *y = f32(&a, 1, len, 0);
  float *out = f32(&a, 2, len, 0);
  if (a.failed) return NULL;
  const long n = (long)len;
  if (relu) {
    PAR_FOR
    for (long i = 0; i < n; i++) {
      float v = x[i] + y[i];
      out[i] = v > 0.0f ? v : 0.0f;
    }
  } else {
    PAR_FOR
    for (long i = 0; i < n; i++) out[i] = x[i] + y[i];
  }
  return undefined(env);
}

static napi_value js_set_threads(napi_env env, napi_callback_info info) {
  Args a;
  if (!get_args(env, info, &a, 1)) return NULL;
  int n = inum(&a, 0);
  if (a.failed) return NULL;
  g_threads = n < 1 ? 1 : n;
  openblas_set_num_threads(g_threads);
  return undefined(env);
}

static napi_value js_get_threads(napi_env env, napi_callback_info info) {
  (void)info;
  napi_value out;
  napi_create_int32(env, g_threads, &out);
  return out;
}

static napi_value js_abi(napi_env env, napi_callback_info info) {
  (void)info;
  napi_value out;
  napi_create_int32(env, ADDON_ABI, &out);
  return out;
}

NAPI_MODULE_INIT() {
  static const struct {
    const char *name;
    napi_callback fn;
  } fns[] = {
      {"sgemm", js_sgemm},
      {"im2col", js_im2col},
      {"col2im", js_col2im},
      {"convForward", js_conv_forward},
      {"convBackward", js_conv_backward},
      {"biasAct", js_bias_act},
      {"actBackward", js_act_backward},
      {"colSum", js_col_sum},
      {"bnForwardTrain", js_bn_forward_train},
      {"bnForwardEval", js_bn_forward_eval},
      {"bnBackward", js_bn_backward},
      {"adam", js_adam},
      {"sumSquares", js_sum_squares},
      {"scale", js_scale},
      {"add", js_add},
      {"setThreads", js_set_threads},
      {"getThreads", js_get_threads},
      {"abi", js_abi},
  };
  for (size_t i = 0; i < sizeof(fns) / sizeof(fns[0]); i++) {
    napi_value f;
    if (napi_create_function(env, fns[i].name, NAPI_AUTO_LENGTH, fns[i].fn, NULL, &f) != napi_ok) return NULL;
    if (napi_set_named_property(env, exports, fns[i].name, f) != napi_ok) return NULL;
  }
  return exports;
}
