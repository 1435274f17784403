"""Tests of report.py's rule for a figure against its target; bench/run.sh --quick runs them (and so does CI)."""
import unittest

from report import closing_note, judge


class JudgeTests(unittest.TestCase):
    def test_a_spread_wholly_within_the_target_passes(self):
        self.assertEqual(judge([1.02, 1.05, 1.08], 1.10, higher_is_better=False), "pass")
        self.assertEqual(judge([0.95, 0.97, 0.99], 0.92, higher_is_better=True), "pass")

    def test_a_spread_wholly_beyond_the_target_misses(self):
        self.assertEqual(judge([1.12, 1.15, 1.30], 1.10, higher_is_better=False), "miss")
        self.assertEqual(judge([0.60, 0.66, 0.71], 0.92, higher_is_better=True), "miss")

    def test_a_spread_that_straddles_the_target_is_unresolved_whatever_its_median(self):
        # The median passes, a round misses: not a pass.
        self.assertEqual(judge([1.01, 1.02, 1.02, 1.09], 1.03, higher_is_better=False), "unresolved")
        # The median misses, a round passes: not a miss either.
        self.assertEqual(judge([0.88, 0.90, 0.91, 1.00], 0.97, higher_is_better=True), "unresolved")

    def test_a_round_exactly_on_the_target_meets_it(self):
        self.assertEqual(judge([1.03, 1.00], 1.03, higher_is_better=False), "pass")
        self.assertEqual(judge([0.97, 0.99], 0.97, higher_is_better=True), "pass")

    def test_nothing_measured_is_unresolved_not_a_pass(self):
        self.assertEqual(judge([], 1.10, higher_is_better=False), "unresolved")
        self.assertEqual(judge([float("nan")], 1.10, higher_is_better=False), "unresolved")


class ClosingNoteTests(unittest.TestCase):
    def test_it_quotes_every_target_with_its_measured_figure_and_counts_the_unresolved_apart(self):
        targets = [
            ("(b)/(a) CPU per request, ping", "≤ 1.10", "1.050 (1.020–1.080)", "**pass**"),
            ("(b)/(a) CPU per request, get", "≤ 1.03", "1.020 (0.990–1.060)", "**unresolved**"),
            ("(b) added p50, ping", "≤ 50 µs", "61 (55–70) µs", "**miss**"),
        ]
        note = "\n".join(closing_note(targets))
        self.assertIn("Of 3 targets, 1 pass, 1 miss and 1 are unresolved", note)
        for what, goal, measured, outcome in targets:
            self.assertIn(f"- {what}: {measured} against {goal}, {outcome}", note)


if __name__ == "__main__":
    unittest.main()
