// /lms/my-team: the manager's overdue-digest switch, saved at once (their own preference only).
// Note for editors: Jinja reads this file, so never write a brace directly followed by %, # or a brace.
frappe.ready(() => {
	const toggle = document.getElementById("digest-toggle");
	const state = document.getElementById("digest-state");
	if (!toggle) return;
	toggle.addEventListener("change", () => {
		const wanted = toggle.checked;
		toggle.disabled = true;
		smooth_lms.portal
			.call("smooth_lms.lms.notifications.manager_digest.set_overdue_digest", { enabled: wanted ? 1 : 0 })
			.then((preference) => {
				toggle.checked = Boolean(preference.enabled);
				state.textContent = preference.enabled ? __("On") : __("Off");
				frappe.show_alert({
					message: preference.enabled
						? __("You will get an email when your team's training is overdue.")
						: __("Overdue emails about your team are turned off."),
					indicator: "green",
				});
			})
			.catch(() => {
				toggle.checked = !wanted;
			})
			.finally(() => {
				toggle.disabled = false;
			});
	});
});
