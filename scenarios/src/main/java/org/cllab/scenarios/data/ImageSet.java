package org.cllab.scenarios.data;

import java.util.Objects;

/**
 * An immutable labelled set of images, stored compactly as unsigned bytes.
 *
 * <p>Image {@code i} occupies {@link #featureDim()} bytes; multi-channel images are stored
 * channel-major ({@code channel, row, col}), single-channel images row-major. Pixels are handed out
 * as floats in [0, 1] ({@code byte / 255f}) through {@link #copyImage(int, float[], int)}.
 */
public final class ImageSet {

  private final String source;
  private final int rows;
  private final int cols;
  private final int channels;
  private final int featureDim;
  private final byte[] pixels;
  private final int[] labels;
  private final int numClasses;

  /**
   * Creates an image set from copies of the given arrays.
   *
   * @param source path or resource name the data came from (provenance)
   * @param rows image height, positive
   * @param cols image width, positive
   * @param channels number of channels, positive
   * @param pixels {@code labels.length * rows * cols * channels} unsigned bytes
   * @param labels one non-negative class label per image
   * @throws IllegalArgumentException if the lengths or values are inconsistent
   */
  public ImageSet(String source, int rows, int cols, int channels, byte[] pixels, int[] labels) {
    this(
        source,
        rows,
        cols,
        channels,
        Objects.requireNonNull(pixels, "pixels").clone(),
        Objects.requireNonNull(labels, "labels").clone(),
        null);
  }

  /** Takes ownership of the arrays without copying; for the readers in this package. */
  static ImageSet wrap(
      String source, int rows, int cols, int channels, byte[] pixels, int[] labels) {
    return new ImageSet(source, rows, cols, channels, pixels, labels, null);
  }

  private ImageSet(
      String source,
      int rows,
      int cols,
      int channels,
      byte[] pixels,
      int[] labels,
      Void owned) { // marker parameter: arrays are already owned by this instance
    this.source = Objects.requireNonNull(source, "source");
    Objects.requireNonNull(pixels, "pixels");
    Objects.requireNonNull(labels, "labels");
    if (rows <= 0 || cols <= 0 || channels <= 0) {
      throw new IllegalArgumentException(
          "rows, cols and channels must be positive: " + rows + "x" + cols + "x" + channels);
    }
    long dim = (long) rows * cols * channels;
    if (dim > Integer.MAX_VALUE) {
      throw new IllegalArgumentException("feature dimension too large: " + dim);
    }
    long expected = dim * labels.length;
    if (pixels.length != expected) {
      throw new IllegalArgumentException(
          "pixels.length = " + pixels.length + ", expected " + labels.length + " images x " + dim
              + " = " + expected);
    }
    int max = -1;
    for (int i = 0; i < labels.length; i++) {
      if (labels[i] < 0) {
        throw new IllegalArgumentException("negative label " + labels[i] + " at index " + i);
      }
      max = Math.max(max, labels[i]);
    }
    this.rows = rows;
    this.cols = cols;
    this.channels = channels;
    this.featureDim = (int) dim;
    this.pixels = pixels;
    this.labels = labels;
    this.numClasses = max + 1;
  }

  /** Number of images. */
  public int size() {
    return labels.length;
  }

  /** Image height. */
  public int rows() {
    return rows;
  }

  /** Image width. */
  public int cols() {
    return cols;
  }

  /** Number of channels (1 for grayscale, 3 for RGB). */
  public int channels() {
    return channels;
  }

  /** Values per image: {@code rows() * cols() * channels()}. */
  public int featureDim() {
    return featureDim;
  }

  /**
   * Copies image {@code i} into {@code dst[offset .. offset + featureDim())} as floats in [0, 1]
   * ({@code unsigned byte / 255f}), channel-major for multi-channel images.
   */
  public void copyImage(int i, float[] dst, int offset) {
    Objects.checkIndex(i, labels.length);
    Objects.checkFromIndexSize(offset, featureDim, dst.length);
    int base = i * featureDim;
    for (int k = 0; k < featureDim; k++) {
      dst[offset + k] = (pixels[base + k] & 0xFF) / 255f;
    }
  }

  /** The class label of image {@code i}. */
  public int label(int i) {
    return labels[Objects.checkIndex(i, labels.length)];
  }

  /** One more than the largest label (0 for an empty set). */
  public int numClasses() {
    return numClasses;
  }

  /** A copy of all labels, in image order. */
  public int[] labels() {
    return labels.clone();
  }

  /** Path or resource name the data was read from. */
  public String source() {
    return source;
  }

  @Override
  public String toString() {
    return "ImageSet[" + size() + " images " + rows + "x" + cols + "x" + channels + ", "
        + numClasses + " classes, source=" + source + "]";
  }
}
