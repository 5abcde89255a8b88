"""Certificate codes, without a site."""

import unittest

from smooth_lms.lms.certificates.codes import LENGTH, looks_like_a_code, new_code, normalised


class TestCodes(unittest.TestCase):
	def test_codes_are_long_random_and_of_the_alphabet(self):
		codes = {new_code() for _ in range(2000)}
		self.assertEqual(len(codes), 2000)
		self.assertTrue(all(len(code) == LENGTH and looks_like_a_code(code) for code in codes))
		self.assertFalse(any(set(code) & set("ILOU") for code in codes))

	def test_typed_codes_are_read_as_people_mean_them(self):
		code = new_code()
		spaced = " ".join(code[i : i + 4] for i in range(0, LENGTH, 4)).lower()
		self.assertEqual(normalised(spaced), code)
		self.assertEqual(normalised("o1-il"), "0111")
		for bad in ("", None, "short", code + "X", code[:-1] + "U", "'; drop table x; --"):
			self.assertFalse(looks_like_a_code(bad))
