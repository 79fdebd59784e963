package org.cllab.scenarios.data;

/**
 * A data file (or classpath resource) is missing, unreadable or malformed.
 *
 * <p>The message is a single line that starts with the offending path, for example
 * {@code /data/mnist/train-images-idx3-ubyte.gz: truncated IDX file: expected 47040000 bytes of
 * pixel data, found 1024}.
 */
public class DataFileException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  private final String path;

  /**
   * @param path the file path or resource name the problem is about
   * @param problem what is wrong, without the path
   */
  public DataFileException(String path, String problem) {
    this(path, problem, null);
  }

  /**
   * @param path the file path or resource name the problem is about
   * @param problem what is wrong, without the path
   * @param cause the underlying exception, or {@code null}
   */
  public DataFileException(String path, String problem, Throwable cause) {
    super(oneLine(path + ": " + problem), cause);
    this.path = path;
  }

  /** The file path or resource name this exception is about. */
  public String path() {
    return path;
  }

  private static String oneLine(String s) {
    return s.replaceAll("\\s*[\\r\\n]+\\s*", " ");
  }
}
