// /lms/courses/<course>/lessons/<lesson>: the lesson is finished its one way — Mark as Complete, its quiz
// (start_quiz gives an attempt's questions, submit_quiz scores it; the result shows each question's
// correct options and explanations only when the server sends them), its acknowledgement (acknowledge
// with the typed full name) or its SCORM package (scorm_player.js). What the server renders from the new state (the lesson's state, the quiz's
// status, the signature) is then fetched and swapped in: no reload.
// Text from the server goes in with textContent; the one exception is a question's text, HTML the
// server sanitised (quiz.drawing.shown). Jinja reads this file: never write a brace followed by %, #
// or a brace.
(() => {
	frappe.ready(() => {
		const page = document.querySelector(".lms-lesson-page");
		if (!page) return;
		const portal = smooth_lms.portal;
		const course = page.dataset.course;
		const lesson = page.dataset.lesson;
		const refresh = portal.refresher(["lms-lesson-state-slot", "lms-quiz-status-slot", "lms-ack-slot"]);

		const mark = page.querySelector(".lms-mark-complete");
		if (mark) {
			mark.addEventListener("click", () => {
				mark.disabled = true;
				portal
					.call("smooth_lms.lms.learning.progress.mark_lesson_complete", { course, lesson })
					.then(() => {
						mark.classList.replace("btn-primary", "btn-default");
						mark.textContent = __("Completed") + " ✓";
						refresh();
					})
					.catch(() => {
						mark.disabled = false;
					});
			});
		}

		// The acknowledgement's form is replaced by the signature once signed: listen on the page.
		page.addEventListener("submit", (event) => {
			const form = event.target.closest(".lms-ack-form");
			if (!form) return;
			event.preventDefault();
			const input = form.querySelector(".lms-ack-name");
			const button = form.querySelector(".lms-ack-sign");
			const error = form.querySelector(".lms-ack-error");
			const typed_name = input.value.trim();
			error.hidden = true;
			if (!typed_name) {
				error.textContent = __("Type your full name to sign.");
				error.hidden = false;
				input.focus();
				return;
			}
			button.disabled = true;
			portal
				.call_quietly("smooth_lms.lms.quiz.acknowledge", { course, lesson, typed_name })
				.then(() => refresh())
				.catch((xhr) => {
					error.textContent = portal.server_message(xhr) || __("The statement was not signed.");
					error.hidden = false;
					button.disabled = false;
				});
		});

		const quiz = document.getElementById("lms-quiz");
		if (quiz) take_quiz(quiz, portal, refresh);

		const scorm = document.getElementById("lms-scorm");
		if (scorm) smooth_lms.scorm_player(scorm, { course, lesson, refresh }); // scorm_player.js
	});

	function take_quiz(quiz, portal, refresh) {
		const $ = (selector) => quiz.querySelector(selector);
		const actions = $(".lms-quiz-actions");
		const start_button = $(".lms-quiz-start");
		const error = $(".lms-quiz-error");
		const form = $(".lms-quiz-attempt");
		const list = $(".lms-quiz-questions");
		const timer = $(".lms-quiz-timer");
		const submit_button = $(".lms-quiz-submit");
		const result = $(".lms-quiz-result");
		const retry = $(".lms-quiz-retry");
		const max_attempts = Number(quiz.dataset.maxAttempts) || 0;
		// Deadlines are the server's local time: read against its clock, not the browser's.
		const offset = naive_time(quiz.dataset.serverNow) - Date.now();
		let attempt = null;
		let questions = {};
		let used = 0;
		let ticking = null;
		let submitting = false;

		function show_error(message) {
			error.textContent = message;
			error.hidden = !message;
		}

		function show_attempts(left) {
			const text = max_attempts
				? __("{0} of {1} used", [used, max_attempts]) + " · " + __("{0} left", [left])
				: __("{0} used", [used]) + " · " + __("no limit");
			$(".lms-quiz-attempts").textContent = text;
		}

		function start() {
			show_error("");
			start_button.disabled = retry.disabled = true;
			portal
				.call_quietly("smooth_lms.lms.quiz.start_quiz", { quiz: quiz.dataset.quiz })
				.then(show_attempt)
				.catch((xhr) => {
					show_error(portal.server_message(xhr) || __("The quiz could not be started."));
					refresh(); // no attempts left, or passed meanwhile: the status says so
				})
				.finally(() => {
					start_button.disabled = retry.disabled = false;
				});
		}

		function show_attempt(data) {
			attempt = data.attempt;
			used = data.attempts_used;
			questions = {};
			show_attempts(max_attempts ? Math.max(max_attempts - used, 0) : null);
			list.replaceChildren(...data.questions.map(question_item));
			$(".lms-quiz-attempt-number").textContent = max_attempts
				? __("Attempt {0} of {1}", [used, max_attempts])
				: __("Attempt {0}", [used]);
			count_answered();
			actions.hidden = result.hidden = true;
			form.hidden = false;
			submit_button.disabled = submitting = false;
			stop_timer();
			if (data.deadline) start_timer(naive_time(data.deadline), (data.time_limit_minutes || 0) * 60);
			form.scrollIntoView({ behavior: "smooth", block: "start" });
		}

		function question_item(question, index) {
			questions[question.question] = question;
			const item = element("li", "lms-quiz-question");
			item.dataset.question = question.question;
			const text = element("div", "lms-quiz-question-text");
			text.id = `lms-question-${index + 1}`;
			text.innerHTML = question.text; // sanitised by the server (quiz.drawing.shown)
			const group = element("div", "lms-quiz-options");
			group.setAttribute("role", question.type === "Multiple Choice" ? "group" : "radiogroup");
			group.setAttribute("aria-labelledby", text.id);
			question.options.forEach((option) => {
				const label = element("label", "lms-quiz-option");
				const input = document.createElement("input");
				input.type = question.type === "Multiple Choice" ? "checkbox" : "radio";
				input.name = `lms-question-${index + 1}`;
				input.value = option.option;
				label.append(input, element("span", "lms-quiz-option-text", option.text));
				group.append(label);
			});
			const kind =
				question.type === "Multiple Choice" ? __("Choose all that apply.") : __("Choose one answer.");
			item.append(text, element("div", "lms-quiz-kind", kind), group);
			return item;
		}

		function count_answered() {
			const items = Array.from(list.querySelectorAll(".lms-quiz-question"));
			const answered = items.filter((item) => item.querySelector("input:checked")).length;
			$(".lms-quiz-answered").textContent = __("{0} of {1} answered", [answered, items.length]);
		}

		function submit() {
			if (!attempt || submitting) return;
			submitting = submit_button.disabled = true;
			stop_timer();
			show_error("");
			const answers = {};
			list.querySelectorAll(".lms-quiz-question").forEach((item) => {
				answers[item.dataset.question] = Array.from(item.querySelectorAll("input:checked")).map(
					(input) => input.value
				);
			});
			portal
				.call_quietly("smooth_lms.lms.quiz.submit_quiz", { attempt, answers: JSON.stringify(answers) })
				.then(show_result)
				.catch((xhr) => {
					submitting = submit_button.disabled = false;
					show_error(portal.server_message(xhr) || __("The answers were not sent: try again."));
					if (xhr && xhr.status === 417) {
						// refused for good (time is up, submitted already): this attempt is over
						attempt = null;
						form.hidden = true;
						start_button.textContent = __("Start quiz");
						actions.hidden = false;
						refresh();
					}
				});
		}

		function show_result(data) {
			attempt = null;
			form.hidden = true;
			const verdict = $(".lms-quiz-verdict");
			verdict.textContent = data.passed ? __("Passed") : __("Not passed");
			verdict.classList.toggle("is-passed", Boolean(data.passed));
			verdict.classList.toggle("is-failed", !data.passed);
			$(".lms-quiz-result-score").textContent = `${data.score} / ${data.score_out_of}`;
			$(".lms-quiz-result-percentage").textContent = portal.format_percent(data.percentage);
			const left = data.attempts_left;
			$(".lms-quiz-result-left").textContent = left === null || left === undefined ? __("No limit") : String(left);
			show_attempts(left);
			const answers = $(".lms-quiz-answers");
			answers.replaceChildren(...(data.results || []).map(answer_item));
			answers.hidden = !data.results;
			retry.hidden = Boolean(data.passed) || left === 0;
			actions.hidden = true;
			result.hidden = false;
			result.scrollIntoView({ behavior: "smooth", block: "start" });
			refresh(); // the lesson's state; "Passed on …" or "ask HR" when no attempts are left
		}

		function answer_item(row) {
			const item = element("li", "lms-quiz-answer " + (row.is_correct ? "is-right" : "is-wrong"));
			item.dataset.question = row.question;
			const text = element("div", "lms-quiz-question-text");
			const question = questions[row.question];
			text.innerHTML = question ? question.text : ""; // sanitised by the server (quiz.drawing.shown)
			const verdict = element(
				"div",
				"lms-quiz-answer-verdict",
				(row.is_correct ? __("Right") : __("Wrong")) +
					" · " +
					portal.plural(
						row.marks_out_of,
						__("{0} of {1} mark", [row.marks, row.marks_out_of]),
						__("{0} of {1} marks", [row.marks, row.marks_out_of])
					)
			);
			const options = element("ul", "lms-quiz-answer-options");
			row.options.forEach((option) => {
				const chosen = row.chosen.includes(option.option);
				const line = element("li", "lms-quiz-answer-option");
				line.classList.toggle("is-correct", Boolean(option.is_correct));
				line.classList.toggle("is-chosen", chosen);
				line.append(element("span", "lms-quiz-option-text", option.text));
				if (option.is_correct) line.append(element("span", "lms-quiz-tag is-correct", __("Correct answer")));
				if (chosen) line.append(element("span", "lms-quiz-tag is-chosen", __("Your choice")));
				if (option.explanation) line.append(element("div", "lms-quiz-explanation", option.explanation));
				options.append(line);
			});
			item.append(text, verdict, options);
			return item;
		}

		function start_timer(deadline, limit) {
			timer.hidden = false;
			const update = () => {
				// never more than the limit: the page's estimate of the server's clock lags by the network
				let left = Math.max(0, Math.ceil((deadline - (Date.now() + offset)) / 1000));
				if (limit) left = Math.min(left, limit);
				const clock = `${Math.floor(left / 60)}:${String(left % 60).padStart(2, "0")}`;
				timer.textContent = __("Time left: {0}", [clock]);
				timer.classList.toggle("is-short", left <= 60);
				if (left === 0) submit(); // what is answered by then is scored
			};
			update();
			ticking = window.setInterval(update, 1000);
		}

		function stop_timer() {
			if (ticking) window.clearInterval(ticking);
			ticking = null;
			timer.hidden = true;
		}

		start_button.addEventListener("click", start);
		retry.addEventListener("click", start);
		list.addEventListener("change", count_answered);
		form.addEventListener("submit", (event) => {
			event.preventDefault();
			submit();
		});
	}

	// "2024-05-01 10:30:00.123456" (a naive datetime from the server) as milliseconds, read as UTC: only
	// differences between two of them count.
	function naive_time(text) {
		return new Date(String(text || "").replace(" ", "T").slice(0, 23) + "Z").getTime();
	}

	function element(tag, class_name, text) {
		const node = document.createElement(tag);
		node.className = class_name;
		if (text !== undefined) node.textContent = text;
		return node;
	}
})();
