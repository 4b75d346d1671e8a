#!/usr/bin/env Rscript
# Times R's surveillance package on the series the C# benchmark then times EarlyWarning on.
# Usage: Rscript r-benchmark.R SERIES_CSV OUT_TIMINGS_CSV N_SERIES
# Writes SERIES_CSV (series,period,count: 340 weekly periods per series, a mix of shapes) and
# OUT_TIMINGS_CSV (setting,evaluations,seconds).
suppressPackageStartupMessages(library(surveillance))
options(warn = -1)
args <- commandArgs(trailingOnly = TRUE)
series_csv <- args[1]; timings_csv <- args[2]; n_series <- as.integer(args[3])
set.seed(7)
n <- 340; t <- seq_len(n)
make <- function(i) {
  season <- 1 + 0.4 * sin(2 * pi * (t + i) / 52)
  switch(i %% 4 + 1,
    rpois(n, (2 + i %% 30) * season),
    rnbinom(n, size = 2, mu = (5 + i %% 50) * season),
    rpois(n, (1 + 0.05 * t) * season),
    { x <- rpois(n, 15 * season); x[sample(n, 8)] <- x[sample(n, 8)] * 3; x })
}
m <- sapply(seq_len(n_series), make)
write.csv(data.frame(series = rep(paste0("s", seq_len(n_series)), each = n), period = rep(t, n_series), count = as.vector(m)),
  series_csv, row.names = FALSE, quote = FALSE)

range <- 264:n
evaluations <- length(range) * n_series
s <- sts(observed = m, frequency = 52)
time <- function(expr) system.time(expr)[["elapsed"]]
rows <- list(
  c("ears-c1", time(earsC(s, control = list(method = "C1", range = range)))),
  c("ears-c2", time(earsC(s, control = list(method = "C2", range = range)))),
  c("ears-c3", time(earsC(s, control = list(method = "C3", range = range)))),
  c("farrington-flexible", time(farringtonFlexible(s, control = list(range = range)))),
  c("farrington-flexible-noufaily", time(farringtonFlexible(s, control = list(range = range, noPeriods = 10,
      pastWeeksNotIncluded = 26, thresholdMethod = "nbPlugin", pThresholdTrend = 1)))),
  c("cusum", time(for (j in seq_len(n_series)) algo.cusum(list(observed = m[, j, drop = FALSE], freq = 52, start = c(2020, 1)), control = list(range = range))))
)
write.csv(data.frame(setting = sapply(rows, `[`, 1), evaluations = evaluations, seconds = as.numeric(sapply(rows, `[`, 2))),
  timings_csv, row.names = FALSE, quote = FALSE)
