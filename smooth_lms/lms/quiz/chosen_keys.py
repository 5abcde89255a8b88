"""An answer's chosen set as a short key: the option names, sorted, joined by commas (`chosen_key` of LMS
Quiz Submission Answer, beside its JSON `chosen`). Written with the answer (quiz._insert_answers), filled
for older answers by a patch (`fill_missing`), read by Quiz Item Analysis from the index on (quiz,
question, is_correct, chosen_key, course, creation) without reading a row.

The key is the learner's own choice and nothing else (never whether it was right), as `chosen` is. An
unanswered question's key is "". A set whose key would not fit the field (about a dozen options chosen
at once), or holding an option name with a comma, has no key (NULL): readers take `chosen` for those.
"""

import frappe

from smooth_lms.lms.doctypes import SUBMISSION_ANSWER

SEPARATOR = ","
KEY_LENGTH = 140  # the Data field's VARCHAR(140)


def chosen_key(chosen: list[str]) -> str | None:
	"""The key of a chosen set of option names, or None when it would not fit or not read back."""
	if any(SEPARATOR in name for name in chosen):
		return None
	key = SEPARATOR.join(sorted(set(chosen)))
	return key if len(key) <= KEY_LENGTH else None


def chosen_options(key: str) -> list[str]:
	"""The option names of a key (chosen_key's inverse, as a sorted set)."""
	return key.split(SEPARATOR) if key else []


def fill_missing() -> None:
	"""Give every answer without a key the key of its `chosen` JSON, set-wise in one UPDATE (the set's
	names sorted as chosen_key sorts them; sets that do not fit stay NULL, as chosen_key leaves them)."""
	frappe.db.sql(
		f"""update `tab{SUBMISSION_ANSWER}` answer
		left join (
			select keyed.name, max(locate(',', picked.option_name)) has_separator,
				group_concat(distinct picked.option_name order by picked.option_name separator ',') `key`
			from `tab{SUBMISSION_ANSWER}` keyed
			join json_table(
				if(json_valid(keyed.chosen), keyed.chosen, '[]'),
				'$[*]' columns (option_name varchar(140) path '$')
			) picked
			where keyed.chosen_key is null
			group by keyed.name
		) sets on sets.name = answer.name
		set answer.chosen_key = coalesce(sets.`key`, '')
		where answer.chosen_key is null
			and (sets.`key` is null or (char_length(sets.`key`) <= {KEY_LENGTH} and not sets.has_separator))"""
	)
