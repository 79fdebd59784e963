/**
 * The {@code cl} command line (picocli): {@code run}, {@code sweep}, {@code demo}, {@code report},
 * {@code config-doc}. Exit codes: 0 success, 2 bad input (config, sweep file, data, run directory; one line on
 * standard error, nothing written), 1 internal failure or, for {@code sweep}, runs that did not finish.
 */
package org.cllab.runs.cli;
