#!/usr/bin/env Rscript
# Conformance fixtures for EarlyWarning.Detection, computed by the reference implementation:
# R's surveillance package (Debian: r-cran-surveillance). Run from this folder:
#   Rscript generate.R
# Writes series.csv (series,period,count), cases.csv (case,algorithm,parameters,from,to) and
# expected.csv (case,series,period,expected,upperbound,alarm); NA is written as an empty field (in series.csv
# too, where it is a missing week).
# A period R cannot evaluate (it stops with "too short" or "reference time points did not exist")
# is written with an empty upperbound: the C# library must answer "not enough history" there.
suppressPackageStartupMessages(library(surveillance))
options(warn = -1)
set.seed(20241030)

n <- 340
t <- seq_len(n)
season <- function(amplitude, phase = 0) 1 + amplitude * sin(2 * pi * (t - phase) / 52)

past <- rpois(n, 10 * season(0.4))
past[c(60:63, 115:117, 170, 222:225, 300:302)] <- past[c(60:63, 115:117, 170, 222:225, 300:302)] + c(25, 40, 30, 12, 20, 35, 15, 60, 18, 30, 44, 20, 30, 28, 26)
now <- rpois(n, 20 * season(0.5))
now[c(300, 318:320, 331:334)] <- round(now[c(300, 318:320, 331:334)] * c(3, 2, 2.5, 3, 2, 3, 4, 3))

series <- list(
  sparse = rpois(n, 0.4),
  seasonal = rpois(n, 20 * season(0.5)),
  trend = rpois(n, 4 + 0.08 * t),
  overdispersed = rnbinom(n, size = 1.5, mu = 15 * season(0.3, 10)),
  past_outbreaks = past,
  starts_with_zeros = c(rep(0, 120), rpois(n - 120, 8 * season(0.3)[121:n])),
  large = rpois(n, 2000 * season(0.2)),
  surges_now = now,
  declining = rpois(n, pmax(1, 60 - 0.15 * t) * season(0.25))
)

cases <- list(
  list("ears-c1-default", "ears-c1", list()),
  list("ears-c2-default", "ears-c2", list()),
  list("ears-c3-default", "ears-c3", list()),
  list("ears-c1-baseline10-alpha05", "ears-c1", list(baseline = 10, alpha = 0.05)),
  list("ears-c2-minsigma", "ears-c2", list(minSigma = 2, alpha = 0.01)),
  list("ears-c3-baseline5-alpha01", "ears-c3", list(baseline = 5, alpha = 0.01)),
  list("farrington-default", "farrington-flexible", list()),
  list("farrington-noufaily", "farrington-flexible", list(noPeriods = 10, pastWeeksNotIncluded = 26, thresholdMethod = "nbPlugin", pThresholdTrend = 1)),
  list("farrington-muan", "farrington-flexible", list(noPeriods = 10, pastWeeksNotIncluded = 26, thresholdMethod = "muan", pThresholdTrend = 1)),
  list("farrington-noreweight-notrend", "farrington-flexible", list(reweight = FALSE, trend = FALSE)),
  list("farrington-b3-w2-alpha01", "farrington-flexible", list(b = 3, w = 2, alpha = 0.01)),
  list("farrington-powertrans-none", "farrington-flexible", list(powertrans = "none", weightsThreshold = 1)),
  list("farrington-powertrans-half-limit54", "farrington-flexible", list(powertrans = "1/2", limit54 = c(10, 3))),
  list("farrington-noperiods4-trend1", "farrington-flexible", list(noPeriods = 4, pThresholdTrend = 1, b = 4)),
  list("cusum-default", "cusum", list(), from = 101),
  list("cusum-k-h", "cusum", list(k = 0.5, h = 4), from = 53)
)

param_text <- function(p) paste(vapply(names(p), function(k) paste0(k, "=", paste(p[[k]], collapse = " ")), ""), collapse = ";")

farrington_one <- function(x, k, p) {
  control <- modifyList(list(range = k), p)
  r <- tryCatch(farringtonFlexible(sts(observed = x, frequency = 52), control = control), error = function(e) NULL)
  if (is.null(r)) return(c(NA, NA, NA))
  c(r@control$expected[1, 1], upperbound(r)[1, 1], alarms(r)[1, 1])
}

# Series with missing weeks (NA), drawn after all the series above so that those stay as they were. They are
# shaped like suppressed or unreported data: a data-privacy agreement that hides every count from 1 to 4
# (threshold 5), weeks missing at random, runs of missing weeks, and missing weeks inside limit54's window.
missing <- list(
  suppressed_small = local({ x <- rpois(n, 4 * season(0.5)); x[x >= 1 & x <= 4] <- NA; x }),
  missing_random = local({ x <- rpois(n, 25 * season(0.4)); x[sample(n, round(0.2 * n))] <- NA; x }),
  missing_blocks = local({
    x <- rnbinom(n, size = 8, mu = 15 * season(0.3))
    x[c(40:44, 95:97, 150:155, 199:202, 248:253, 270:272, 296:298, 320:325)] <- NA
    x
  }),
  missing_limit54 = local({
    x <- rpois(n, 10 * season(0.3))
    x[c(33, 150, 280, 290, 301, 302, 318, 333, 340)] <- NA
    x
  })
)

# R stops a whole farringtonFlexible call when one period cannot be fitted; then the periods are asked one by one.
farrington_range <- function(x, ks, p) {
  r <- tryCatch(farringtonFlexible(sts(observed = x, frequency = 52), control = modifyList(list(range = ks), p)), error = function(e) NULL)
  if (!is.null(r)) return(cbind(r@control$expected[, 1], upperbound(r)[, 1], alarms(r)[, 1]))
  t(vapply(ks, function(k) farrington_one(x, k, p), numeric(3)))
}

evaluate <- function(name, algorithm, p, from, x, s) {
    expected <- rep(NA_real_, n); upper <- rep(NA_real_, n); alarm <- rep(NA, n)
    if (startsWith(algorithm, "ears")) {
      method <- toupper(sub("ears-", "", algorithm))
      baseline <- if (is.null(p[["baseline", exact = TRUE]])) 7 else p[["baseline", exact = TRUE]]
      lag <- switch(method, C1 = baseline, C2 = baseline + 2, C3 = baseline + 4)
      r <- earsC(sts(observed = x, frequency = 52), control = modifyList(list(method = method, range = (lag + 1):n), p))
      upper[(lag + 1):n] <- upperbound(r)[, 1]
      alarm[(lag + 1):n] <- alarms(r)[, 1]
    } else if (algorithm == "farrington-flexible") {
      b <- if (is.null(p[["b", exact = TRUE]])) 5 else p[["b", exact = TRUE]]; w <- if (is.null(p[["w", exact = TRUE]])) 3 else p[["w", exact = TRUE]]
      first <- 52 * b + w + 1
      v <- farrington_range(x, first:n, p)
      expected[first:n] <- v[, 1]
      upper[first:n] <- v[, 2]
      alarm[first:n] <- v[, 3]
      # Where R stops being able to evaluate, period by period, just before its default range.
      for (k in max(1, first - w - 3):(first - 1)) {
        v <- farrington_one(x, k, p)
        expected[k] <- v[1]; upper[k] <- v[2]; alarm[k] <- v[3]
      }
    } else {
      r <- algo.cusum(list(observed = matrix(x, ncol = 1), freq = 52, start = c(2020, 1)), control = modifyList(list(range = from:n), p))
      expected[from:n] <- r$control$m
      upper[from:n] <- r$upperbound
      alarm[from:n] <- r$alarm
    }
    data.frame(case = name, series = s, period = t, expected = expected, upperbound = upper, alarm = as.integer(alarm))
}

rows <- list()
case_rows <- list()
for (case in cases) {
  from <- if (is.null(case$from)) 1 else case$from
  case_rows[[length(case_rows) + 1]] <- data.frame(case = case[[1]], algorithm = case[[2]], parameters = param_text(case[[3]]), from = from, to = n)
  for (s in names(series)) rows[[length(rows) + 1]] <- evaluate(case[[1]], case[[2]], case[[3]], from, series[[s]], s)
}
for (case in cases) {
  from <- if (is.null(case$from)) 1 else case$from
  for (s in names(missing)) rows[[length(rows) + 1]] <- evaluate(case[[1]], case[[2]], case[[3]], from, missing[[s]], s)
}
series <- c(series, missing)

write.csv(do.call(rbind, lapply(names(series), function(s) data.frame(series = s, period = t, count = series[[s]]))),
  "series.csv", row.names = FALSE, quote = FALSE, na = "")
write.csv(do.call(rbind, case_rows), "cases.csv", row.names = FALSE, quote = FALSE)
out <- do.call(rbind, rows)
write.csv(out, "expected.csv", row.names = FALSE, quote = FALSE, na = "")
cat("wrote", nrow(out), "expected rows for", length(cases), "cases and", length(series), "series\n")
