/**
 * Hand-written SQL kept as files: {@link io.hookline.common.sql.Sql} loads a statement from
 * {@code src/main/resources/sql/} (one file per statement, {@code :name} parameters, runnable with psql),
 * {@link io.hookline.common.sql.Prepared} binds it by name, {@link io.hookline.common.sql.Columns} builds the arrays of
 * an {@code unnest} batch and {@link io.hookline.common.sql.Transactions} runs work in one JDBC transaction.
 */
package io.hookline.common.sql;
