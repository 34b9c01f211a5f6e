// SPDX-License-Identifier: GPL-2.0
/*
 * Module signatures.
 *
 * --sign-key KEY --sign-cert CERT sign the module with the tree's own
 * scripts/sign-file (built by `prepare` in the original build directory
 * when the config has MODULE_SIG) and the config's hash
 * (CONFIG_MODULE_SIG_HASH).  The kernel must trust CERT: a key in its
 * built-in keyring (CONFIG_SYSTEM_TRUSTED_KEYS, Kbuild's own
 * certs/signing_key.pem) or one enrolled in the machine's MOK list.
 *
 * Unsigned, a module does not load where the kernel enforces signatures:
 * CONFIG_MODULE_SIG_FORCE, a lockdown forced by the config
 * (LOCK_DOWN_KERNEL_FORCE_INTEGRITY or _CONFIDENTIALITY), or, when the
 * target is the running kernel, module.sig_enforce=1 or an active
 * lockdown.  klpgen build warns then; it notes a kernel that locks down
 * under EFI Secure Boot (CONFIG_LOCK_DOWN_IN_EFI_SECURE_BOOT, Debian's).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "build.h"

/* Before anything is built: signing needs MODULE_SIG and both files. */
void sign_check_options(struct build *b)
{
	struct kconfig kc;

	if (!b->sign_key && !b->sign_cert)
		return;
	if (!b->sign_key || !b->sign_cert)
		die_code(EXIT_BAD_INPUT, "--sign-key and --sign-cert go "
			 "together");
	b->sign_key = need_path(b->sign_key, "signing key", S_IFREG);
	b->sign_cert = need_path(b->sign_cert, "signing certificate", S_IFREG);
	if (kconfig_read(b->config, &kc) < 0)
		return;		/* check_versions() already said why */
	if (!kconfig_enabled(&kc, "MODULE_SIG"))
		die_code(EXIT_BAD_INPUT, "--sign-key: the config %s has no "
			 "CONFIG_MODULE_SIG, so its kernel checks no signature",
			 b->config);
	kconfig_free(&kc);
}

int sign_module(struct build *b, const char *ko)
{
	char *tool = xasprintf("%s/scripts/sign-file", b->orig), *hash = NULL;
	struct kconfig kc;
	int rc;

	if (kconfig_read(b->config, &kc) == 0) {
		hash = kconfig_string(&kc, "MODULE_SIG_HASH");
		kconfig_free(&kc);
	}
	if (!hash)
		hash = xstrdup("sha256");
	if (access(tool, X_OK)) {
		WARN("%s was not built: cannot sign", tool);
		rc = -1;
	} else {
		char *const argv[] = { tool, hash, b->sign_key, b->sign_cert,
				       (char *)ko, NULL };

		dprintf(b->logfd, "=== %s %s %s %s %s\n", tool, hash,
			b->sign_key, b->sign_cert, ko);
		rc = spawn_run(argv, b->logfd);
		if (rc && rc != EXIT_INTERRUPTED)
			WARN("%s failed (exit %d); see %s", tool, rc, b->log);
	}
	free(tool);
	free(hash);
	return rc;
}

static bool file_says(const char *path, const char *what)
{
	char *t = fs_read_text(path, NULL);
	bool ret = t && strstr(t, what);

	free(t);
	return ret;
}

/* Why the target kernel refuses unsigned modules, or NULL; *note: softer. */
static const char *enforced(struct build *b, const char **note)
{
	struct kconfig kc;
	struct utsname u;
	const char *why = NULL;

	*note = NULL;
	if (kconfig_read(b->config, &kc) < 0)
		return NULL;
	if (!kconfig_enabled(&kc, "MODULE_SIG"))
		why = NULL;
	else if (kconfig_enabled(&kc, "MODULE_SIG_FORCE"))
		why = "its config has CONFIG_MODULE_SIG_FORCE";
	else if (kconfig_enabled(&kc, "LOCK_DOWN_KERNEL_FORCE_INTEGRITY") ||
		 kconfig_enabled(&kc, "LOCK_DOWN_KERNEL_FORCE_CONFIDENTIALITY"))
		why = "its config forces lockdown";
	else if (kconfig_enabled(&kc, "LOCK_DOWN_IN_EFI_SECURE_BOOT"))
		*note = "it enforces signatures when booted with EFI Secure "
			"Boot (lockdown)";
	kconfig_free(&kc);
	uname(&u);
	if (!why && !*b->root && b->krelease && !strcmp(b->krelease, u.release)) {
		if (file_says("/sys/module/module/parameters/sig_enforce", "Y"))
			why = "the running kernel enforces signatures "
			      "(module.sig_enforce)";
		else if (file_says("/sys/kernel/security/lockdown",
				   "[integrity]") ||
			 file_says("/sys/kernel/security/lockdown",
				   "[confidentiality]"))
			why = "the running kernel is locked down";
	}
	return why;
}

void sign_warn_unsigned(struct build *b)
{
	const char *note, *why;

	if (b->sign_key)
		return;
	why = enforced(b, &note);
	if (why)
		WARN("warning: the module is not signed and will not load: %s "
		     "(sign it with --sign-key KEY --sign-cert CERT)", why);
	else if (note)
		fprintf(stderr, "[klpgen] note: the module is not signed; %s\n",
			note);
}
