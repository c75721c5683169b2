/*
 * Memory-bound training kernels for the WebAssembly fallback (SIMD128 by clang's vectoriser),
 * mirroring native/xasflow_nn.c without N-API, OpenMP or libm: channels-last im2col/col2im and
 * the convolution forward/backward built on gemm.c, bias + ReLU, ReLU backward with column sums,
 * BatchNorm forward (training/evaluation, optional fused ReLU) and backward, Adam/AdamW, add,
 * sum of squares and scaling. GELU and other transcendental work stays in TypeScript.
 * Pointers are byte offsets into this module's memory; the caller copies operands in and out.
 * Rebuild: node tools/nn/build-wasm.mjs.
 */
#include <wasm_simd128.h>

void gemm(int ta, int tb, int m, int n, int k, float alpha, const float *a, int lda, const float *b, int ldb,
          float beta, float *c, int ldc, float *pack);

typedef struct {
  int batch, length, channels, ks, stride, pad, dil, lout;
} Geom;

static void im2col_rows(const float *x, const Geom *g, int b0, int b1, float *col) {
  const int ch = g->channels, width = g->ks * ch;
  for (int b = b0; b < b1; b++) {
    const float *xb = x + (long)b * g->length * ch;
    for (int o = 0; o < g->lout; o++) {
      float *row = col + ((long)(b - b0) * g->lout + o) * width;
      const int start = o * g->stride - g->pad;
      if (g->dil == 1 && start >= 0 && start + g->ks <= g->length) {
        __builtin_memcpy(row, xb + (long)start * ch, (unsigned long)width * 4);
        continue;
      }
      for (int kk = 0; kk < g->ks; kk++) {
        const int pos = start + kk * g->dil;
        float *dst = row + kk * ch;
        if (pos < 0 || pos >= g->length)
          __builtin_memset(dst, 0, (unsigned long)ch * 4);
        else
          __builtin_memcpy(dst, xb + (long)pos * ch, (unsigned long)ch * 4);
      }
    }
  }
}

static void col2im_rows(const float *col, const Geom *g, int b0, int b1, float *dx) {
  const int ch = g->channels, width = g->ks * ch;
  for (int b = b0; b < b1; b++) {
    float *xb = dx + (long)b * g->length * ch;
    __builtin_memset(xb, 0, (unsigned long)g->length * ch * 4);
    for (int o = 0; o < g->lout; o++) {
      const float *row = col + ((long)(b - b0) * g->lout + o) * width;
      const int start = o * g->stride - g->pad;
      for (int kk = 0; kk < g->ks; kk++) {
        const int pos = start + kk * g->dil;
        if (pos < 0 || pos >= g->length) continue;
        const float *src = row + kk * ch;
        float *dst = xb + (long)pos * ch;
        for (int c = 0; c < ch; c++) dst[c] += src[c];
      }
    }
  }
}

#define EXPORT(name) __attribute__((export_name(name)))

EXPORT("im2col") void im2col(const float *x, const Geom *g, float *col) { im2col_rows(x, g, 0, g->batch, col); }
EXPORT("col2im") void col2im(const float *col, const Geom *g, float *dx) { col2im_rows(col, g, 0, g->batch, dx); }

static void bias_relu(float *z, const float *bias, int rows, int cols, int relu) {
  for (int r = 0; r < rows; r++) {
    float *zr = z + (long)r * cols;
    if (bias)
      for (int c = 0; c < cols; c++) zr[c] += bias[c];
    if (relu)
      for (int c = 0; c < cols; c++) zr[c] = zr[c] > 0.0f ? zr[c] : 0.0f;
  }
}

/* Bytes of scratch convForward/convBackward need for one chunk of `per` samples. */
static int chunk_samples(const Geom *g) {
  long row_bytes = (long)g->ks * g->channels * 4 * (g->lout > 0 ? g->lout : 1);
  long s = (1L << 20) / (row_bytes > 0 ? row_bytes : 1);
  if (s < 1) s = 1;
  if (s > g->batch) s = g->batch;
  return (int)s;
}

EXPORT("convScratchFloats") int conv_scratch_floats(const Geom *g) {
  return chunk_samples(g) * g->lout * g->ks * g->channels;
}

/* y = relu?(im2col(x)·Wᵀ + bias) in cache-sized chunks of samples. */
EXPORT("convForward")
void conv_forward(const float *x, const Geom *g, const float *w, int cout, const float *bias, int relu, float *y,
                  float *col, float *pack) {
  const int width = g->ks * g->channels, per = chunk_samples(g);
  for (int b0 = 0; b0 < g->batch; b0 += per) {
    const int b1 = b0 + per < g->batch ? b0 + per : g->batch;
    const int r0 = b0 * g->lout, nr = (b1 - b0) * g->lout;
    im2col_rows(x, g, b0, b1, col);
    gemm(0, 1, nr, cout, width, 1.0f, col, width, w, width, 0.0f, y + (long)r0 * cout, cout, pack);
    bias_relu(y + (long)r0 * cout, bias, nr, cout, relu);
  }
}

/* dW = Σ chunks dzᵀ·im2col(x); dx = col2im(dz·W) when dx is non-null. */
EXPORT("convBackward")
void conv_backward(const float *x, const Geom *g, const float *w, int cout, const float *dz, float *dw, float *dx,
                   float *col, float *pack) {
  const int width = g->ks * g->channels, per = chunk_samples(g);
  for (int b0 = 0; b0 < g->batch; b0 += per) {
    const int b1 = b0 + per < g->batch ? b0 + per : g->batch;
    const int r0 = b0 * g->lout, nr = (b1 - b0) * g->lout;
    const float *dzc = dz + (long)r0 * cout;
    im2col_rows(x, g, b0, b1, col);
    gemm(1, 0, cout, width, nr, 1.0f, dzc, cout, col, width, b0 == 0 ? 0.0f : 1.0f, dw, width, pack);
    if (dx) {
      gemm(0, 0, nr, width, cout, 1.0f, dzc, cout, w, width, 0.0f, col, width, pack);
      col2im_rows(col, g, b0, b1, dx);
    }
  }
}

EXPORT("biasRelu") void bias_relu_export(float *z, const float *bias, int rows, int cols, int relu) {
  bias_relu(z, bias, rows, cols, relu);
}

static void col_sums(const float *x, const float *h, int rows, int cols, double *s1, double *s2) {
  for (int c = 0; c < cols; c++) {
    s1[c] = 0;
    if (s2) s2[c] = 0;
  }
  for (int r = 0; r < rows; r++) {
    const float *xr = x + (long)r * cols;
    for (int c = 0; c < cols; c++) s1[c] += xr[c];
    if (h) {
      const float *hr = h + (long)r * cols;
      for (int c = 0; c < cols; c++) s2[c] += (double)xr[c] * hr[c];
    }
  }
}

/* dy = relu' masked (if relu) and dbias = column sums of dy (if dbias). tmp: cols doubles. */
EXPORT("reluBackward")
void relu_backward(float *dy, const float *y, int rows, int cols, int relu, float *dbias, double *tmp) {
  const long n = (long)rows * cols;
  if (relu)
    for (long i = 0; i < n; i++) dy[i] = y[i] > 0.0f ? dy[i] : 0.0f;
  if (dbias) {
    col_sums(dy, 0, rows, cols, tmp, 0);
    for (int c = 0; c < cols; c++) dbias[c] = (float)tmp[c];
  }
}

/* tmp: 2·cols doubles + 2·cols floats. */
EXPORT("bnForwardTrain")
void bn_forward_train(const float *x, int rows, int cols, const float *gamma, const float *beta, double eps,
                      double momentum, float *rm, float *rv, float *xhat, float *inv, float *y, int relu,
                      double *tmp) {
  double *mean = tmp, *sq = tmp + cols;
  float *meanf = (float *)(tmp + 2 * cols), *scale = meanf + cols;
  col_sums(x, 0, rows, cols, mean, 0);
  for (int c = 0; c < cols; c++) {
    mean[c] /= rows;
    meanf[c] = (float)mean[c];
    sq[c] = 0;
  }
  for (int r = 0; r < rows; r++) {
    const float *xr = x + (long)r * cols;
    for (int c = 0; c < cols; c++) {
      double d = xr[c] - mean[c];
      sq[c] += d * d;
    }
  }
  for (int c = 0; c < cols; c++) {
    double var_b = sq[c] / rows;
    double is = 1.0 / __builtin_sqrt(var_b + eps);
    inv[c] = (float)is;
    scale[c] = (float)is;
    rm[c] = (float)((1 - momentum) * rm[c] + momentum * mean[c]);
    rv[c] = (float)((1 - momentum) * rv[c] + momentum * (rows > 1 ? sq[c] / (rows - 1) : var_b));
  }
  for (int r = 0; r < rows; r++) {
    const float *xr = x + (long)r * cols;
    float *hr = xhat + (long)r * cols, *yr = y + (long)r * cols;
    for (int c = 0; c < cols; c++) {
      float h = (xr[c] - meanf[c]) * scale[c];
      hr[c] = h;
      yr[c] = gamma[c] * h + beta[c];
    }
    if (relu)
      for (int c = 0; c < cols; c++) yr[c] = yr[c] > 0.0f ? yr[c] : 0.0f;
  }
}

/* tmp: 2·cols floats. */
EXPORT("bnForwardEval")
void bn_forward_eval(const float *x, int rows, int cols, const float *gamma, const float *beta, double eps,
                     const float *rm, const float *rv, float *y, int relu, float *tmp) {
  float *scale = tmp, *shift = tmp + cols;
  for (int c = 0; c < cols; c++) {
    double s = gamma[c] / __builtin_sqrt((double)rv[c] + eps);
    scale[c] = (float)s;
    shift[c] = (float)(beta[c] - rm[c] * s);
  }
  for (int r = 0; r < rows; r++) {
    const float *xr = x + (long)r * cols;
    float *yr = y + (long)r * cols;
    for (int c = 0; c < cols; c++) yr[c] = xr[c] * scale[c] + shift[c];
    if (relu)
      for (int c = 0; c < cols; c++) yr[c] = yr[c] > 0.0f ? yr[c] : 0.0f;
  }
}

/* tmp: 2·cols doubles + 3·cols floats. */
EXPORT("bnBackward")
void bn_backward(float *dy, const float *xhat, const float *inv, const float *gamma, int rows, int cols, float *dg,
                 float *dbeta, float *dx, const float *relu_out, double *tmp) {
  double *sdy = tmp, *sdh = tmp + cols;
  float *k = (float *)(tmp + 2 * cols), *kb = k + cols, *kh = kb + cols;
  const long n = (long)rows * cols;
  if (relu_out)
    for (long i = 0; i < n; i++) dy[i] = relu_out[i] > 0.0f ? dy[i] : 0.0f;
  col_sums(dy, xhat, rows, cols, sdy, sdh);
  for (int c = 0; c < cols; c++) {
    dbeta[c] = (float)sdy[c];
    dg[c] = (float)sdh[c];
    double kc = (double)gamma[c] * inv[c];
    k[c] = (float)kc;
    kb[c] = (float)(kc * sdy[c] / rows);
    kh[c] = (float)(kc * sdh[c] / rows);
  }
  for (int r = 0; r < rows; r++) {
    const float *d = dy + (long)r * cols, *h = xhat + (long)r * cols;
    float *o = dx + (long)r * cols;
    for (int c = 0; c < cols; c++) o[c] = k[c] * d[c] - kb[c] - h[c] * kh[c];
  }
}

EXPORT("adam")
void adam(float *p, const float *g, float *m, float *v, int len, float step_size, float bc2sqrt, float b1, float b2,
          float c1, float c2, float eps, float decay, float l2) {
  /* c1 = 1 − β1 and c2 = 1 − β2 come rounded from double, as in PyTorch's Python-side constants */
  for (int i = 0; i < len; i++) {
    float pi = p[i];
    float gi = g[i] + l2 * pi;
    pi *= decay;
    float mi = b1 * m[i] + c1 * gi;
    float vi = b2 * v[i] + c2 * gi * gi;
    m[i] = mi;
    v[i] = vi;
    p[i] = pi - step_size * mi / (__builtin_sqrtf(vi) / bc2sqrt + eps);
  }
}

EXPORT("add") void add(const float *a, const float *b, float *out, int n, int relu) {
  if (relu)
    for (int i = 0; i < n; i++) {
      float s = a[i] + b[i];
      out[i] = s > 0.0f ? s : 0.0f;
    }
  else
    for (int i = 0; i < n; i++) out[i] = a[i] + b[i];
}

EXPORT("sumSquares") double sum_squares(const float *x, int n) {
  double s0 = 0, s1 = 0, s2 = 0, s3 = 0;
  int i = 0;
  for (; i + 4 <= n; i += 4) {
    s0 += (double)x[i] * x[i];
    s1 += (double)x[i + 1] * x[i + 1];
    s2 += (double)x[i + 2] * x[i + 2];
    s3 += (double)x[i + 3] * x[i + 3];
  }
  for (; i < n; i++) s0 += (double)x[i] * x[i];
  return (s0 + s1) + (s2 + s3);
}

EXPORT("scale") void scale(float *x, int n, float s) {
  for (int i = 0; i < n; i++) x[i] *= s;
}
