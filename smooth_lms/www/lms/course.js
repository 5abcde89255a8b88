// /lms/courses/<course>: open lessons, mark them complete; the progress, the lesson list and the
// assignment status follow from the server's answer at once, then the parts the server renders from the
// new state (assignment card, "Your history", the overview's button) are fetched and swapped in: no reload.
frappe.ready(() => {
	const page = document.querySelector(".lms-course-page");
	if (!page) return;
	const portal = smooth_lms.portal;
	const course = page.dataset.course;
	const overview = document.getElementById("lms-overview");
	const panels = Array.from(page.querySelectorAll(".lms-lesson"));

	function lesson_number(href) {
		const number = parseInt(new URL(href, window.location.href).searchParams.get("lesson"), 10);
		return number >= 1 && number <= panels.length ? number : null;
	}

	function show(number) {
		overview.hidden = Boolean(number);
		panels.forEach((panel) => {
			panel.hidden = Number(panel.dataset.number) !== number;
		});
		const active = number ? panels[number - 1].dataset.lesson : null;
		page.querySelectorAll(".lms-lesson-item").forEach((item) => {
			item.classList.toggle("is-active", item.dataset.lesson === active);
		});
	}

	function open(number) {
		const url = new URL(window.location.href);
		if (number) url.searchParams.set("lesson", number);
		else url.searchParams.delete("lesson");
		window.history.pushState({ lesson: number }, "", url);
		show(number);
		page.scrollIntoView({ behavior: "smooth", block: "start" });
	}

	if (panels.length) {
		page.addEventListener("click", (event) => {
			const link = event.target.closest("a.lms-lesson-link, a.lms-next-lesson, a.lms-start-lesson");
			if (!link) return;
			const number = lesson_number(link.href);
			if (!number) return;
			event.preventDefault();
			open(number);
		});
		window.addEventListener("popstate", () => show(lesson_number(window.location.href)));
		show(lesson_number(window.location.href));
	}

	function show_progress(result, lesson) {
		const item = page.querySelector(`.lms-lesson-item[data-lesson="${CSS.escape(lesson)}"]`);
		item.classList.add("is-complete");
		item.querySelector(".lms-lesson-mark").textContent = "✓";
		const state = item.querySelector(".lms-lesson-state");
		if (state) {
			state.className = state.className.replace(/\blms-lesson-state--[\w-]+/g, "").trim();
			state.classList.add("lms-lesson-state--done");
			state.dataset.state = "Done";
			state.textContent = __("Done");
		}

		const done = page.querySelectorAll(".lms-lesson-item.is-complete").length;
		const total = Number(page.dataset.lessonCount);
		const card = document.getElementById("lms-my-progress");
		portal.set_progress(card.querySelector(".lms-progress"), result.progress);
		card.querySelector(".lms-progress-percent").textContent = portal.format_percent(result.progress);
		card.querySelector(".lms-progress-count").textContent = portal.plural(
			total,
			__("{0} of {1} lesson completed", [done, total]),
			__("{0} of {1} lessons completed", [done, total])
		);

		const assignment = page.querySelector(".lms-assignment-card");
		if (assignment && result.status) {
			portal.set_status(assignment.querySelector(".lms-status"), result.status);
			const name = assignment.dataset.assignment;
			const attempt = page.querySelector(`.lms-history-row[data-assignment="${CSS.escape(name)}"]`);
			if (attempt) portal.set_status(attempt.querySelector(".lms-status"), result.status);
		}
		page.querySelector(".lms-done-banner").classList.toggle("is-shown", result.progress >= 100);
		refresh();
	}

	// What the server renders from the new state, in place: the assignment card (status, validity,
	// certificate), "Your history" (completed on, valid until, certificate, the completion it renewed)
	// and the overview's button (Start / Continue / Review, and the lesson it resumes at).
	const refresh = portal.refresher(["lms-assignment-slot", "lms-history-slot", "lms-overview-actions"]);

	page.querySelectorAll(".lms-mark-complete").forEach((button) => {
		button.addEventListener("click", () => {
			const lesson = button.dataset.lesson;
			button.disabled = true;
			portal
				.call("smooth_lms.lms.learning.progress.mark_lesson_complete", { course, lesson })
				.then((result) => {
					button.classList.replace("btn-primary", "btn-default");
					button.textContent = __("Completed") + " ✓";
					show_progress(result, lesson);
				})
				.catch(() => {
					button.disabled = false;
				});
		});
	});

	const enrol = page.querySelector(".lms-enrol");
	if (enrol) {
		enrol.addEventListener("click", () => {
			enrol.disabled = true;
			portal
				.call("smooth_lms.lms.portal.catalogue.enrol_self", { course })
				.then(() => window.location.reload()) // the lessons' content is served to enrolled learners only
				.catch(() => {
					enrol.disabled = false;
				});
		});
	}
});
