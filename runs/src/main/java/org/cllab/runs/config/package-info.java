/**
 * Configuration: every key, its type, default, allowed values and meaning is declared once in
 * {@link org.cllab.runs.config.ConfigSchema}; loading validates a YAML file and {@code --set} overrides against it
 * before any work and reports the first problem as {@code FILE: key: message}. {@code docs/config.md} is generated
 * from the schema and a test keeps it in sync.
 */
package org.cllab.runs.config;
