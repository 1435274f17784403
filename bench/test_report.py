"""Tests of report.py's rule for a figure against its target; bench/run.sh --quick runs them (and so does CI)."""
import unittest

from report import closing_note, disturbed, judge, load_conditions


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


class ConditionsTests(unittest.TestCase):
    @staticmethod
    def run_with(api_ticks, busy, steal, total=400):
        return {"core": {"api_ticks": api_ticks, "busy": busy, "steal": steal, "total": total},
                "others": {"busy": 200, "total": 400}, "jit_methods": 0}

    def test_a_load_with_its_core_to_itself_is_not_disturbed(self):
        conditions = load_conditions(self.run_with(api_ticks=380, busy=384, steal=2))
        self.assertAlmostEqual(conditions["foreign"], 0.01)
        self.assertFalse(disturbed(conditions))

    def test_other_work_or_steal_on_the_api_core_beyond_five_percent_disturbs_a_load(self):
        self.assertTrue(disturbed(load_conditions(self.run_with(api_ticks=300, busy=340, steal=0))))
        self.assertTrue(disturbed(load_conditions(self.run_with(api_ticks=300, busy=300, steal=40))))

    def test_a_load_recorded_without_the_core_figures_is_not_judged(self):
        self.assertIsNone(load_conditions({"round": 1}))
        self.assertFalse(disturbed(None))


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

    def test_it_names_the_disturbed_rounds_that_stayed_in_the_figures(self):
        note = "\n".join(closing_note([], rounds=7, disturbed_rounds=[2, 5]))

        self.assertIn("2 of the 7 rounds of section 1 were disturbed (round 2, 5", note)


if __name__ == "__main__":
    unittest.main()
