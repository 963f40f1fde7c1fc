#version 430 core
// Turns the splat counters into colour: each category's coverage alpha = 1 - exp(-gain * count),
// composited in order (data, method's samples, live particles). Output is premultiplied. Drawn over the
// tiles that hold a point only (splat_tiles.vert). The live particles (white) get a dark rim, one pixel
// wide, so that they show on the light end of a colour map too: a pixel of the ring around a particle's
// newest footprint (the top bit of its counter, set by splat.comp) that they barely cover (count below
// u_rimThreshold) is darkened under them.
uniform usampler2DArray u_counts;
uniform ivec2 u_origin;   // the plot's lower-left corner in window pixels
uniform vec3 u_colors[3];
uniform float u_gain[3];
uniform uint u_rimThreshold; // a live particle's newest footprint: its edge pixels' count
uniform float u_rimAlpha;    // 0: no rim

out vec4 fragColor;

void main() {
    ivec2 p = ivec2(gl_FragCoord.xy) - u_origin;
    vec3 c = vec3(0.0);
    float a = 0.0;
    for (int l = 0; l < 3; ++l) {
        uint n = texelFetch(u_counts, ivec3(p, l), 0).r;
        bool ring = n >= 0x80000000u;
        n &= 0x7fffffffu;
        if (ring && n < u_rimThreshold && u_rimAlpha > 0.0) {
            c *= 1.0 - u_rimAlpha;
            a = u_rimAlpha + a * (1.0 - u_rimAlpha);
        }
        float al = 1.0 - exp(-float(n) * u_gain[l]);
        c = u_colors[l] * al + c * (1.0 - al);
        a = al + a * (1.0 - al);
    }
    fragColor = vec4(c, a);
}
