/**
 * SLURM: a thin client over the command-line tools ({@code sbatch --parsable}, {@code squeue}, {@code scontrol},
 * {@code sacct} when accounting is enabled, {@code scancel}) with a timeout around every call, typed records for
 * what they print, and the writer of the job-array script a sweep is submitted as. No Java SLURM client is
 * maintained on Maven Central; the tools are the stable interface (SLURM 22.05 on Debian is what the tests run).
 */
package org.cllab.runs.slurm;
