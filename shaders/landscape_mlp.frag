#version 430 core
// Evaluation path (a): the MLP evaluated per pixel from its parameters (uploaded at each snapshot).
// Layout of theta, per hidden layer l: W_l (width_l x width_{l-1}, column-major), b_l; then w, b.
#define MAX_WIDTH 128
#define MAX_LAYERS 16

layout(std430, binding = 1) readonly buffer MlpParams { float theta[]; };
uniform int u_numHidden;
uniform int u_widths[MAX_LAYERS];
uniform int u_activation; // 0 SiLU, 1 softplus, 2 tanh

float activation(float z) {
    if (u_activation == 0) return z / (1.0 + exp(-z));
    if (u_activation == 1) return max(z, 0.0) + log(1.0 + exp(-abs(z)));
    return tanh(z);
}

float modelEnergy(vec2 x) {
    float h[MAX_WIDTH];
    float z[MAX_WIDTH];
    h[0] = x.x;
    h[1] = x.y;
    int inDim = 2;
    int off = 0;
    for (int l = 0; l < u_numHidden; ++l) {
        int w = u_widths[l];
        int bOff = off + w * inDim;
        for (int i = 0; i < w; ++i) z[i] = theta[bOff + i];
        for (int j = 0; j < inDim; ++j) {
            float hj = h[j];
            int col = off + j * w;
            for (int i = 0; i < w; ++i) z[i] += theta[col + i] * hj;
        }
        for (int i = 0; i < w; ++i) h[i] = activation(z[i]);
        off = bOff + w;
        inDim = w;
    }
    float e = theta[off + inDim];
    for (int i = 0; i < inDim; ++i) e += theta[off + i] * h[i];
    return e;
}
