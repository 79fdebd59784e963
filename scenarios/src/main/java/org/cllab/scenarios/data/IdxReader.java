package org.cllab.scenarios.data;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * Reads pairs of IDX files (the MNIST / Fashion-MNIST format): unsigned-byte 3-D images (magic
 * {@code 0x00000803}) and unsigned-byte 1-D labels (magic {@code 0x00000801}), big-endian headers.
 *
 * <p>Each file may be gzip-compressed or raw; compression is detected from the gzip magic bytes
 * {@code 0x1f 0x8b}, not from the file name. The payload length must equal the product of the
 * dimensions exactly, and image and label counts must agree. Labels are unsigned bytes (below 256);
 * callers that know the dataset's class count pass it, and any label outside {@code
 * 0..numClasses-1} is refused, naming the label file and the first bad index. Every problem is
 * reported as a {@link DataFileException} whose one-line message starts with the offending file.
 */
public final class IdxReader {

  /** Magic number of an unsigned-byte IDX file with three dimensions (images). */
  public static final int IMAGES_MAGIC = 0x00000803;

  /** Magic number of an unsigned-byte IDX file with one dimension (labels). */
  public static final int LABELS_MAGIC = 0x00000801;

  /** Every unsigned-byte label value: no class-range check beyond the format. */
  public static final int ANY_BYTE_LABEL = 256;

  /** Largest array the JVM reliably allocates. */
  private static final int MAX_ARRAY = Integer.MAX_VALUE - 8;

  private static final int BUFFER = 1 << 16;

  /** Opens a fresh stream over one IDX file's bytes (raw or gzip); the caller closes it. */
  @FunctionalInterface
  public interface InputStreamSupplier {
    /**
     * @return a new stream, or {@code null} if the underlying file or resource does not exist
     * @throws IOException if it cannot be opened
     */
    InputStream open() throws IOException;
  }

  private IdxReader() {}

  /**
   * Reads an image file and its label file.
   *
   * @throws DataFileException naming the file if either is missing, unreadable or malformed, or if
   *     their counts disagree
   */
  public static ImageSet read(Path images, Path labels) {
    return read(images, labels, ANY_BYTE_LABEL);
  }

  /**
   * Reads an image file and its label file whose labels must lie in {@code 0..numClasses-1}.
   *
   * @throws DataFileException naming the file if either is missing, unreadable or malformed, if
   *     their counts disagree, or (naming the label file and the first bad index) if a label is out
   *     of range
   */
  public static ImageSet read(Path images, Path labels, int numClasses) {
    return read(
        images + " + " + labels,
        images.toString(),
        open(images),
        labels.toString(),
        open(labels),
        numClasses);
  }

  /**
   * Reads images and labels from streams, e.g. classpath resources.
   *
   * @param name provenance of the pair, used as {@link ImageSet#source()}; error messages name the
   *     files {@code name + " [images]"} and {@code name + " [labels]"}
   * @throws DataFileException if either stream is missing ({@code null}), unreadable or malformed,
   *     or if their counts disagree
   */
  public static ImageSet read(
      String name, InputStreamSupplier images, InputStreamSupplier labels) {
    return read(name, name + " [images]", images, name + " [labels]", labels, ANY_BYTE_LABEL);
  }

  /**
   * Reads images and labels from streams, naming each in error messages.
   *
   * @param source provenance of the result, see {@link ImageSet#source()}
   * @param imagesName path or resource name of the image file, for error messages
   * @param labelsName path or resource name of the label file, for error messages
   * @param numClasses labels must lie in {@code 0..numClasses-1}
   */
  static ImageSet read(
      String source,
      String imagesName,
      InputStreamSupplier images,
      String labelsName,
      InputStreamSupplier labels,
      int numClasses) {
    Idx img = readIdx(imagesName, images, IMAGES_MAGIC, "IDX3 ubyte images", "pixel data");
    int count = img.dims[0];
    int rows = img.dims[1];
    int cols = img.dims[2];
    if (rows <= 0 || cols <= 0) {
      throw new DataFileException(
          imagesName, "invalid image size " + rows + "x" + cols + " in IDX header");
    }
    Idx lab = readIdx(labelsName, labels, LABELS_MAGIC, "IDX1 ubyte labels", "label data");
    if (lab.dims[0] != count) {
      throw new DataFileException(
          labelsName,
          "label count " + lab.dims[0] + " does not match image count " + count + " in "
              + imagesName);
    }
    int[] labelValues = new int[count];
    for (int i = 0; i < count; i++) {
      labelValues[i] = lab.data[i] & 0xFF; // unsigned byte: always < 256
      if (labelValues[i] >= numClasses) {
        throw new DataFileException(
            labelsName,
            "label "
                + labelValues[i]
                + " at index "
                + i
                + " is outside the class range 0.."
                + (numClasses - 1)
                + " (first bad label)");
      }
    }
    return ImageSet.wrap(source, rows, cols, 1, img.data, labelValues);
  }

  private static InputStreamSupplier open(Path path) {
    return () -> {
      if (Files.isDirectory(path)) {
        throw new DataFileException(path.toString(), "is a directory, expected a file");
      }
      return Files.newInputStream(path);
    };
  }

  /** A parsed IDX file: its dimensions and its payload. */
  private static final class Idx {
    final int[] dims;
    final byte[] data;

    Idx(int[] dims, byte[] data) {
      this.dims = dims;
      this.data = data;
    }
  }

  private static Idx readIdx(
      String name, InputStreamSupplier supplier, int magic, String kind, String payloadKind) {
    boolean gzip = false;
    try (InputStream raw = supplier.open()) {
      if (raw == null) {
        throw new DataFileException(name, "file not found");
      }
      InputStream in = new BufferedInputStream(raw, BUFFER);
      in.mark(2);
      gzip = in.read() == 0x1f && in.read() == 0x8b;
      in.reset();
      if (gzip) {
        in = new GZIPInputStream(in, BUFFER);
      }
      return parse(name, in, magic, kind, payloadKind);
    } catch (NoSuchFileException | FileNotFoundException e) {
      throw new DataFileException(name, "file not found", e);
    } catch (ZipException e) {
      throw new DataFileException(name, "corrupt gzip stream (" + e.getMessage() + ")", e);
    } catch (EOFException e) {
      // Only GZIPInputStream throws EOFException here; parse() checks lengths itself.
      throw new DataFileException(
          name,
          (gzip ? "truncated or corrupt gzip stream (" : "unexpected end of file (") + e.getMessage() + ")",
          e);
    } catch (IOException e) {
      throw new DataFileException(name, "I/O error (" + e + ")", e);
    }
  }

  private static Idx parse(
      String name, InputStream in, int magic, String kind, String payloadKind)
      throws IOException {
    byte[] head = new byte[4];
    int got = in.readNBytes(head, 0, 4);
    if (got == 0) {
      throw new DataFileException(name, "empty file, expected " + kind);
    }
    if (got < 4) {
      throw new DataFileException(
          name, "truncated IDX file: expected a 4-byte magic number, found " + got + " bytes");
    }
    int found = bigEndian(head, 0);
    if (found != magic) {
      throw new DataFileException(
          name,
          String.format("bad magic number 0x%08x, expected 0x%08x (%s)", found, magic, kind));
    }
    int ndims = magic & 0xFF;
    byte[] dimBytes = new byte[4 * ndims];
    got = in.readNBytes(dimBytes, 0, dimBytes.length);
    if (got < dimBytes.length) {
      throw new DataFileException(
          name,
          "truncated IDX file: expected " + dimBytes.length + " bytes of dimension sizes, found "
              + got);
    }
    int[] dims = new int[ndims];
    long expected = 1;
    for (int d = 0; d < ndims; d++) {
      dims[d] = bigEndian(dimBytes, 4 * d);
      if (dims[d] < 0) {
        throw new DataFileException(
            name, "invalid IDX header: dimension " + d + " has negative size " + dims[d]);
      }
      expected *= dims[d];
      if (expected > MAX_ARRAY) {
        throw new DataFileException(
            name, "IDX file too large: dimensions exceed " + MAX_ARRAY + " bytes of " + payloadKind);
      }
    }
    byte[] data = new byte[(int) expected];
    got = in.readNBytes(data, 0, data.length);
    if (got < data.length) {
      throw new DataFileException(
          name,
          "truncated IDX file: expected " + expected + " bytes of " + payloadKind + ", found "
              + got);
    }
    long extra = in.transferTo(OutputStream.nullOutputStream());
    if (extra > 0) {
      throw new DataFileException(
          name,
          "over-long IDX file: expected " + expected + " bytes of " + payloadKind + ", found "
              + (expected + extra) + " (" + extra + " trailing bytes)");
    }
    return new Idx(dims, data);
  }

  private static int bigEndian(byte[] b, int off) {
    return ((b[off] & 0xFF) << 24)
        | ((b[off + 1] & 0xFF) << 16)
        | ((b[off + 2] & 0xFF) << 8)
        | (b[off + 3] & 0xFF);
  }
}
