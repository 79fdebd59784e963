package org.cllab.hypernets.contracon;

import org.cllab.core.rng.Rng;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Augmented test views for ConTraCon's task identification (our reconstruction of the reference's views for
 * grayscale images): per image a random shift of up to {@code shift} pixels in each direction, a rotation by up to
 * {@code degrees} about the centre (bilinear sampling, zero outside) and additive Gaussian noise of std
 * {@code noise}, clipped to [0, 1]. The parameters of view {@code v} of the {@code i}-th image of a batch come from
 * {@code Rng(seed, "view/v")} in image order, so a query always gets the same views (resumed runs evaluate alike).
 * With {@code learner.contracon.train_augment} a second instance (its own seed) augments every training minibatch
 * alike, view index = task · 10^6 + step, so resumed training sees the same augmentations.
 */
public record ViewAugmenter(int channels, int height, int width, int shift, double degrees, double noise, long seed) {
    /** View {@code v} of every row of {@code x} ({@code [n, C·H·W]}, values in [0, 1]). */
    public INDArray view(INDArray x, int v) {
        int n = (int) x.size(0);
        int plane = height * width;
        int dim = channels * plane;
        float[] src = x.castTo(DataType.FLOAT).dup().data().asFloat();
        float[] dst = new float[src.length];
        Rng rng = Rng.forComponent(seed, "view/" + v);
        double cy = (height - 1) / 2.0;
        double cx = (width - 1) / 2.0;
        for (int i = 0; i < n; i++) {
            int dy = shift == 0 ? 0 : rng.nextInt(2 * shift + 1) - shift;
            int dx = shift == 0 ? 0 : rng.nextInt(2 * shift + 1) - shift;
            double a = Math.toRadians(degrees * (2 * rng.nextDouble() - 1));
            double cos = Math.cos(a);
            double sin = Math.sin(a);
            for (int c = 0; c < channels; c++) {
                int base = i * dim + c * plane;
                for (int r = 0; r < height; r++) {
                    for (int q = 0; q < width; q++) {
                        // inverse map: output pixel -> source position
                        double yr = r - dy - cy;
                        double xr = q - dx - cx;
                        double sy = cos * yr - sin * xr + cy;
                        double sx = sin * yr + cos * xr + cx;
                        dst[base + r * width + q] = (float) bilinear(src, base, sy, sx);
                    }
                }
            }
            if (noise > 0) {
                for (int k = 0; k < dim; k++) {
                    float val = (float) (dst[i * dim + k] + noise * rng.nextGaussian());
                    dst[i * dim + k] = Math.max(0f, Math.min(1f, val));
                }
            }
        }
        return Nd4j.create(dst, new long[] {n, dim}, DataType.FLOAT);
    }

    private double bilinear(float[] img, int base, double y, double x) {
        int y0 = (int) Math.floor(y);
        int x0 = (int) Math.floor(x);
        double fy = y - y0;
        double fx = x - x0;
        return (1 - fy) * ((1 - fx) * at(img, base, y0, x0) + fx * at(img, base, y0, x0 + 1))
                + fy * ((1 - fx) * at(img, base, y0 + 1, x0) + fx * at(img, base, y0 + 1, x0 + 1));
    }

    private double at(float[] img, int base, int y, int x) {
        return y < 0 || x < 0 || y >= height || x >= width ? 0 : img[base + y * width + x];
    }
}
