// Copy to the clipboard with feedback on the button that asked.
export async function copyText(text, button) {
  const label = button ? button.textContent : '';
  let ok = true;
  try {
    await navigator.clipboard.writeText(text);
  } catch {
    ok = false; // no permission, or not a secure context
  }
  if (!button) return ok;
  button.textContent = ok ? 'Copied' : 'Copy failed';
  button.classList.toggle('copied', ok);
  clearTimeout(button.copyTimer);
  button.copyTimer = setTimeout(() => {
    button.textContent = label;
    button.classList.remove('copied');
  }, 1500);
  return ok;
}
