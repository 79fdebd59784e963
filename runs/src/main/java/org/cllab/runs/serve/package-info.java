/**
 * {@code cl serve DIR}: a read-only web page over a results directory (a run, a sweep, or a folder of them) that
 * shows every run's state, progress and results and every sweep's comparison table, updated while runs progress.
 * {@link org.cllab.runs.serve.ResultsServer} is the HTTP side (JDK {@code com.sun.net.httpserver}),
 * {@link org.cllab.runs.serve.ResultsScanner} reads the files the runner writes, {@link org.cllab.runs.serve.SafePaths}
 * confines every request to DIR.
 */
package org.cllab.runs.serve;
