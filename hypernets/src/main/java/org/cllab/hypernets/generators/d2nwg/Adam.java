package org.cllab.hypernets.generators.d2nwg;

/** Adam (Kingma and Ba, ICLR 2015) over one flat parameter vector, with optional global gradient-norm clipping. */
final class Adam {
    private final double lr;
    private final double[] m;
    private final double[] v;
    private long step;

    Adam(int n, double lr) {
        this.lr = lr;
        this.m = new double[n];
        this.v = new double[n];
    }

    void step(double[] p, double[] g, double clip) {
        double norm = 0;
        for (double x : g) {
            norm += x * x;
        }
        norm = Math.sqrt(norm);
        double scale = clip > 0 && norm > clip ? clip / norm : 1;
        step++;
        double b1 = 1 - Math.pow(0.9, step);
        double b2 = 1 - Math.pow(0.999, step);
        for (int i = 0; i < p.length; i++) {
            double gi = g[i] * scale;
            m[i] = 0.9 * m[i] + 0.1 * gi;
            v[i] = 0.999 * v[i] + 0.001 * gi * gi;
            p[i] -= lr * (m[i] / b1) / (Math.sqrt(v[i] / b2) + 1e-8);
        }
    }

    double[] m() {
        return m;
    }

    double[] v() {
        return v;
    }

    long steps() {
        return step;
    }

    void restore(double[] m2, double[] v2, long s) {
        System.arraycopy(m2, 0, m, 0, m.length);
        System.arraycopy(v2, 0, v, 0, v.length);
        step = s;
    }
}
