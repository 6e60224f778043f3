// The Menu button of small screens: show or hide the sidebar's navigation.
document.querySelectorAll("[data-menu-toggle]").forEach((button) => {
  button.addEventListener("click", () => {
    const sidebar = button.closest(".sidebar");
    const open = sidebar.classList.toggle("open");
    button.setAttribute("aria-expanded", open ? "true" : "false");
  });
});
