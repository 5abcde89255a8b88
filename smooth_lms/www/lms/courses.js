// /lms/courses: self-enrolment from the catalogue, in place (no reload).
frappe.ready(() => {
	document.querySelectorAll(".lms-enrol").forEach((button) => {
		button.addEventListener("click", () => {
			button.disabled = true;
			smooth_lms.portal
				.call("smooth_lms.lms.portal.catalogue.enrol_self", { course: button.dataset.course })
				.then((result) => {
					const footer = button.closest(".lms-course-actions");
					const link = document.createElement("a");
					link.className = "btn btn-primary btn-sm lms-start";
					link.href = result.url;
					link.textContent = __("Start"); // the word for a course not started, as the server writes it
					const note = document.createElement("span");
					note.className = "lms-enrolled-note text-success small mr-3";
					note.textContent = __("You are enrolled.");
					footer.replaceChildren(note, link);
				})
				.catch(() => {
					button.disabled = false;
				});
		});
	});
});
