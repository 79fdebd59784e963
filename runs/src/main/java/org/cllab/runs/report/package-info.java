/**
 * Reports over many runs: {@link org.cllab.runs.report.RunCollector} finds finished run directories,
 * {@link org.cllab.runs.report.MetricTable} groups them by scenario x mode x learner and aggregates over seeds (mean
 * and sample standard deviation of the metrics, the accuracy matrix and ACC after each task),
 * {@link org.cllab.runs.report.ReportTables} renders Markdown, CSV and LaTeX, {@link org.cllab.runs.report.ReportPlots}
 * draws PNG plots with JFreeChart, and {@link org.cllab.runs.report.Reports} writes the report directory. Everything
 * but the timing files is a deterministic function of the finished runs.
 */
package org.cllab.runs.report;
