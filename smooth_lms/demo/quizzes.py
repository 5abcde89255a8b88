"""The demo courses' quizzes and Code of Conduct's acknowledgement, as a course author would write them.

Each demo course gets a short quiz that finishes its last lesson: Harassment Prevention 10 questions of
which 5 are drawn per attempt, 80 % to pass, 3 attempts, answers shown after each attempt; the others 3 to
5 questions. Code of Conduct then ends with a lesson that is finished by signing its statement.

Questions are written one per block below: `?` the question, then one line per option, `+` correct or
`-` wrong, the option and its explanation apart by ` | `. One correct option makes a Single Choice
question, more a Multiple Choice one.
"""

import frappe

from smooth_lms.lms.doctypes import COURSE, QUESTION, QUIZ

ACKNOWLEDGEMENT_LESSON = "Your acknowledgement"
STATEMENT = (
	"I have read Northwind's Code of Conduct and I understand it. I will follow it in my work, declare any "
	"conflict of interest, and speak up when I see something that goes against it."
)

# By course title: the quiz's settings.
QUIZZES = {
	"Harassment Prevention": {
		"title": "Harassment Prevention: check your understanding",
		"passing_percentage": 80,
		"max_attempts": 3,
		"questions_per_attempt": 5,
		"shuffle": 1,
		"show_answers": "After Each Attempt",
	},
	"Sales Compliance": {"title": "Sales Compliance quiz", "passing_percentage": 75, "max_attempts": 3},
	"Security Awareness": {"title": "Security Awareness quiz", "passing_percentage": 80, "shuffle": 1},
	"Code of Conduct": {"title": "Code of Conduct quiz", "passing_percentage": 100},
	"Workplace Safety": {"title": "Workplace Safety quiz", "passing_percentage": 100},
	"Presentation Skills": {"title": "Presentation Skills quiz", "passing_percentage": 60},
	"Data Privacy Advanced (draft)": {"title": "Data Privacy Advanced quiz", "passing_percentage": 100},
}

QUESTIONS = {
	"Harassment Prevention": """
? Which of these best describes harassment at work?
+ Unwanted conduct that violates someone's dignity or creates a hostile, degrading or offensive environment | This is the definition in our policy: it is about the effect on the person, whatever was intended.
- Only physical contact that someone did not agree to | Harassment can be spoken, written, online or non-verbal; unwanted touching is one form among many.
- Any disagreement between two colleagues | Disagreeing about work is normal. Harassment is unwanted conduct that violates dignity.
- Behaviour that the person doing it meant to be offensive | Intent does not decide it: what counts is the effect on the person receiving it.

? After remarks about a coworker's accent, a colleague says "it was only a joke". Can it still be harassment?
+ Yes: what counts is the effect on the coworker, not whether it was meant as a joke | Jokes about a personal characteristic, repeated or hurtful, are a common form of harassment.
- No: jokes are never harassment | Humour is no defence when the remarks are unwanted and target who someone is.
- Only if the coworker complains in writing | Nobody needs a written complaint for behaviour to be harassment; it often goes unreported.
- Only if a manager made the remarks | Harassment can come from anyone: peers, managers, clients or contractors.

? Which of these can be sexual harassment? Choose every one that applies.
+ Asking a colleague out again and again after they have said no | Repeated advances after a clear no are unwanted conduct of a sexual nature.
+ Sharing sexually explicit images in a team chat | Explicit material at work is sexual harassment even when it is not aimed at one person.
+ Comments about someone's body during a meeting | Remarks about someone's body are sexual harassment, wherever they are made.
- Inviting a colleague once to join the team lunch | A one-off, friendly invitation with nothing sexual about it is not harassment.

? Where does our harassment policy apply?
+ Anywhere connected with work: the office, client sites, work trips, team events and online channels | The policy follows the work, not the building: chats, video calls and after-work events count.
- Only on Northwind's premises | Conduct at client sites, on trips, at events and online is covered too.
- Only during working hours | A team event in the evening or a message at the weekend is still connected with work.
- Only in face-to-face conversations | Emails, chat messages and social media posts about colleagues are covered as well.

? In a team chat, a group keeps mocking one colleague's religion. What is the best thing to do?
+ Check in with the colleague, keep a note of what you saw and report it through a channel you trust | Bystanders who act early stop harassment from becoming normal; you do not need the target's permission to report.
- Leave it: it is not your business unless you are the target | Staying silent lets it continue, and everyone is asked to speak up.
- Reply with a joke to lighten the mood | Joining in, even to defuse it, signals that the mocking is acceptable.
- Forward screenshots to the whole department | Spreading it further exposes the colleague; report it to the right people instead.

? Who can you report harassment to? Choose every one that applies.
+ Your manager, or their manager when your manager is involved | Managers must act on a report and pass it to HR.
+ The People team (HR) | HR can take a report directly, in person or by email.
+ The confidential Speak Up line, anonymously if you wish | The Speak Up line is run independently and accepts anonymous reports.
- Only the person who harassed you, first | You never have to confront them before reporting.

? Someone reports harassment in good faith, and the investigation does not uphold it. What happens to them?
+ Nothing: a report made in good faith is protected, whatever the outcome | Protection from retaliation does not depend on the report being upheld.
- They receive a written warning for a false alarm | Only a report made knowing it to be false can lead to action.
- They must apologise to the person they named | Nobody is asked to apologise for raising a concern honestly.
- They may not report again for a year | There is no limit on reporting concerns.

? Which of these is retaliation?
+ Leaving someone off a project because they made a complaint | Treating someone worse because they reported is retaliation, and a disciplinary matter in itself.
- Feedback on missed deadlines that were recorded before the complaint | Ordinary, documented performance management is not retaliation.
- HR asking the person who reported for dates and details | Investigators need the facts; asking for them is part of a fair process.
- Keeping the people involved apart while the complaint is investigated | A temporary, neutral arrangement to protect everyone is not retaliation.

? When should you report harassment?
+ As soon as you feel able to: there is no deadline, and early reports are easier to investigate | You may report at any time, but memories and messages fade.
- Within 24 hours, or the report is not accepted | There is no deadline for a report.
- Only once it has happened at least three times | A single serious incident is enough to report.
- Only once you have written proof | Your own account is enough to start; HR gathers the evidence.

? What support is offered to someone who has experienced harassment? Choose every one that applies.
+ Confidential counselling through the Employee Assistance Programme | The programme is free, confidential and open to everyone.
+ Changes to working arrangements during an investigation, where needed | Desks, shifts or reporting lines can be changed to keep people safe.
+ Being accompanied by a colleague or representative in meetings about the complaint | Nobody has to go through these meetings alone.
- A guarantee that the other person will be dismissed | The outcome depends on the investigation; what is guaranteed is a fair process and support.
""",
	"Sales Compliance": """
? A buyer hints that a "gift" would help your offer win. What do you do?
+ Decline, offer nothing, and tell Legal the same day | Any hint of a bribe is reported at once, even when nothing was paid.
- Offer a gift below the hospitality limit | A gift given to win a decision is a bribe, whatever its value.
- Pay it yourself so the company is not involved | Paying personally is still bribery, by you and on the company's behalf.
- Ignore the hint and carry on | Ignoring it leaves the risk unreported; Legal must know.

? What may you say about a competitor to a customer?
+ Facts you can show from public sources, such as their published prices | Fair comparisons rest on facts that can be checked.
- That they are about to go bankrupt, as a friend told you | Rumours about a competitor can be unlawful and damage our name.
- That their product is unsafe, without evidence | Unsupported claims are misleading and may be defamatory.
- Whatever helps the customer decide for us | Every claim must be true and fair, even when it costs a deal.

? A customer asks you to keep their card number in a CRM note for next time. What do you do?
+ Refuse politely: card numbers never go into the CRM; payments go through the payment system | Card data is kept only where it is protected for that purpose.
- Keep it in a private note only you can see | Private notes are still stored in the CRM and its backups.
- Email it to yourself for safekeeping | Email is not a safe place for card data.
- Keep it but mark the note confidential | A label does not protect the data.

? Which customer data belongs in the CRM? Choose every one that applies.
+ The buyer's business contact details | Business contact details are what the CRM is for.
+ What was agreed in a meeting | Notes of agreements help colleagues serve the customer.
- Health details the buyer mentioned in small talk | Sensitive personal data has no place in sales notes.
- Copies of the buyer's passport | We never need identity documents to sell.
""",
	"Security Awareness": """
? An email from "IT Support" asks you to confirm your password through a link because your mailbox is full. What do you do?
+ Do not click: report it with the Report Phishing button | IT never asks for your password; reporting lets IT Security warn everyone.
- Click the link but type only your username | The page itself can attack your computer, and the username helps the attacker.
- Reply and ask whether it is genuine | The attacker answers the reply.
- Forward it to colleagues as a warning | Forwarding spreads the link; the report button is the safe way.

? Which is the best password practice?
+ A long passphrase, different for every account, kept in the company password manager | Length and uniqueness stop most attacks; the manager remembers them for you.
- A complex 8-character password used for all work systems | One stolen password would open every system.
- Changing one digit of the password every month | Predictable changes are guessed easily.
- A note under the keyboard | Anyone at your desk can read it.

? Your phone shows a sign-in approval request you did not start. What do you do?
+ Deny it and report it to IT Security: someone may know your password | An unexpected request means someone is trying to sign in as you.
- Approve it to make it go away | Approving lets the attacker in.
- Ignore it | It will come back; IT Security needs to know now.
- Approve it and change your password next week | Once approved, the attacker is already in.

? You must send a customer list to a partner. Which of these are right? Choose every one that applies.
+ Share it through the approved file-sharing tool, with access for the named people only | Approved tools log access and can revoke it.
+ Remove the columns the partner does not need first | Sharing only what is needed limits the harm of any leak.
- Attach it to an email to the partner's personal address | Personal mailboxes are outside our control.
- Upload it to your personal cloud drive and send the link | Personal drives are not approved for customer data.

? You typed your password into a page, then realised the email was phishing. What now?
+ Report it to IT Security straight away and change your password | Minutes matter: IT Security can block the attacker before they use it.
- Change your password and tell nobody | The attacker may already have used it; IT Security must check.
- Wait and see whether anything happens | By then the damage is done.
- Delete the email so there is no trace | IT Security needs the email to find who else received it.
""",
	"Code of Conduct": """
? A supplier in a tender you are judging is owned by your cousin. What do you do?
+ Declare the conflict of interest to your manager and step out of the decision | Declaring it protects you and the fairness of the tender.
- Choose them if their price is the lowest | Even a fair choice looks biased when a conflict was hidden.
- Say nothing, as long as you judge fairly | A conflict must be declared whether or not it changes your judgement.
- Ask your cousin to bid under another company's name | That would hide the conflict and break the rules of the tender.

? Which gift from a supplier may you accept?
+ A promotional item of small value, such as a branded pen | Small promotional items are fine; anything more is declared and usually refused.
- A weekend trip for you and your partner | Valuable hospitality creates an obligation and is refused.
- A gift card of any amount | Cash and cash equivalents are never accepted.
- Concert tickets while they are bidding for a contract | Gifts during a tender are refused whatever their value.

? How can you speak up about a concern? Choose every one that applies.
+ Tell your manager | Your manager is usually the quickest way to act.
+ Use the Speak Up line, anonymously if you wish | The line is independent and accepts anonymous reports.
+ Contact HR or Legal | Both take concerns directly.
- Only in a signed letter to the CEO | Any channel will do; nothing has to be signed.
""",
	"Workplace Safety": """
? The fire alarm sounds during a meeting. What do you do?
+ Leave by the nearest safe exit without the lifts and go to the assembly point | Leave at once, take nothing, and wait to be counted.
- Finish the sentence, then the meeting | Every second counts: leave straight away.
- Go back to your desk for your laptop and coat | Belongings can be replaced; you cannot.
- Take the lift, it is faster | Lifts can stop or fill with smoke in a fire.

? A colleague has a deep cut that is bleeding heavily. What do you do first?
+ Call a first aider or emergency services, and press firmly on the wound with a clean dressing | Pressure slows the bleeding while help comes.
- Give them a glass of water | Water does nothing for the bleeding.
- Rinse it and send them back to work | A deep cut needs trained help.
- Send them home alone | They need help now, not a journey.

? How should your screen be set up?
+ Its top at or just below eye level, about an arm's length away | This keeps your neck straight and your eyes relaxed.
- As close to your face as possible | Too close strains the eyes.
- Flat on the desk | Looking down all day strains the neck.
- To one side, so the desk is free | Turning to look at it all day strains the back and neck.
""",
	"Presentation Skills": """
? What belongs in the first minute of a presentation?
+ What the audience will get from it and why it matters to them | People listen when they know what is in it for them.
- An apology for being nervous | It draws attention to your nerves, not to your message.
- Your full career history | Keep the introduction to what makes you worth hearing on this topic.

? Someone asks a question you cannot answer. What do you do?
+ Say you do not know yet, and promise to follow up | Honesty keeps your credibility; the follow-up keeps the promise.
- Guess confidently | A wrong answer costs more trust than "I do not know".
- Ignore the question | The audience notices, and so does the person who asked.

? What makes a good slide?
+ One idea, few words, and a picture or chart that supports what you say | The audience should listen to you, not read.
- Every word you are going to say | People read faster than you speak and stop listening.
- As many charts as fit on it | Crowded slides hide the point.
""",
	"Data Privacy Advanced (draft)": """
? How long may personal data be kept?
+ No longer than needed for the purpose it was collected for | Storage limitation: delete or anonymise it when the purpose is met.
- For ever, in case it is useful later | "Just in case" is not a purpose.
- Seven years, always | Each kind of data has its own retention period.

? A breach puts people's rights at risk. By when must the supervisory authority be told?
+ Within 72 hours of becoming aware of it | Tell the Data Protection Officer at once: the clock is already running.
- Within 30 days | Far too late: the limit is 72 hours.
- Only if the press finds out | Notification is a legal duty, not a public relations choice.

? How long do we have to answer a data subject's request for their data?
+ One month, extendable in complex cases | Forward every request to the privacy team the day it arrives.
- One year | The limit is one month.
- There is no limit | There is: one month.
""",
}


def add_quizzes(courses: dict[str, str]) -> dict[str, str]:
	"""Give each demo course (`courses`: title -> name) its quiz on its last lesson, and Code of Conduct
	its acknowledgement lesson after it. Returns the quizzes' names by course title."""
	quizzes = {}
	for title, course in courses.items():
		settings = QUIZZES[title]
		questions = [_question(question) for question in parse(QUESTIONS[title])]
		quiz = frappe.get_doc(
			{
				"doctype": QUIZ,
				"course": course,
				**settings,
				"questions": [{"question": name, "marks": 1} for name in questions],
			}
		).insert(ignore_permissions=True)  # demo set-up, run by Administrator
		doc = frappe.get_doc(COURSE, course)
		last = doc.lessons[-1]
		last.quiz = quiz.name
		drawn = settings.get("questions_per_attempt") or len(questions)
		last.content = (
			f"<h3>{frappe.utils.escape_html(last.title)}</h3><p>Read this section carefully, then answer the "
			f"short quiz below: {drawn} questions, {settings['passing_percentage']} % to pass.</p>"
		)
		if title == "Code of Conduct":
			doc.append(
				"lessons",
				{
					"title": ACKNOWLEDGEMENT_LESSON,
					"content": "<h3>Your acknowledgement</h3><p>Northwind asks everyone to confirm the Code of "
					"Conduct in writing. Read the statement below and type your full name to sign it; we "
					"keep the text you signed, with the date.</p>",
					"acknowledgement": STATEMENT,
				},
			)
		doc.save(ignore_permissions=True)  # demo set-up, run by Administrator
		quizzes[title] = quiz.name
	return quizzes


def parse(text: str) -> list[dict]:
	"""The questions of a block of text written as this module's docstring says: each a dict with
	`question`, `type` and `options` ([{option, is_correct, explanation}])."""
	questions = []
	for block in text.strip().split("\n\n"):
		lines = [line.strip() for line in block.strip().splitlines()]
		if not lines[0].startswith("? ") or not all(line[:2] in ("+ ", "- ") for line in lines[1:]):
			raise ValueError(f"not a question block: {block!r}")
		options = []
		for line in lines[1:]:
			option, _bar, explanation = line[2:].partition(" | ")
			options.append({"option": option, "is_correct": int(line[0] == "+"), "explanation": explanation})
		correct = sum(option["is_correct"] for option in options)
		questions.append(
			{
				"question": f"<p>{frappe.utils.escape_html(lines[0][2:])}</p>",
				"type": "Single Choice" if correct == 1 else "Multiple Choice",
				"options": options,
			}
		)
	return questions


def _question(question: dict) -> str:
	return (
		frappe.get_doc({"doctype": QUESTION, **question}).insert(ignore_permissions=True).name
	)  # demo set-up, run by Administrator
