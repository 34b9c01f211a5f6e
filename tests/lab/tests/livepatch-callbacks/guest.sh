# shellcheck shell=sh
# samples/livepatch/livepatch-callbacks-{demo,mod,busymod}: (un)patching
# callbacks for vmlinux and for target modules loaded before and after the
# patch; a failing pre-patch callback makes the module loader refuse a target.
. ./guest-lib.sh

P=livepatch_callbacks_demo
LIVE='\[MODULE_STATE_LIVE\] Normal state'
COMING='\[MODULE_STATE_COMING\] Full formed, running module_init'
GOING='\[MODULE_STATE_GOING\] Going away'

# 1. Target module first, then the patch.
dmesg_mark
ok "insmod livepatch-callbacks-mod.ko" insmod ./livepatch-callbacks-mod.ko
wait_dmesg 5 'livepatch_callbacks_mod: livepatch_callbacks_mod_init' "target module init runs"
dmesg_mark
ok "insmod livepatch-callbacks-demo.ko" insmod ./livepatch-callbacks-demo.ko
wait_for 30 "transition finishes" klp_transition_done $P
log=$(dmesg_new)
like "$log" "$P: pre_patch_callback: vmlinux" "pre_patch callback for vmlinux"
like "$log" "$P: pre_patch_callback: livepatch_callbacks_mod -> $LIVE" "pre_patch callback for the live module"
like "$log" "$P: post_patch_callback: vmlinux" "post_patch callback for vmlinux"
like "$log" "$P: post_patch_callback: livepatch_callbacks_mod -> $LIVE" "post_patch callback for the live module"

# 2. A target module loaded while the patch is active is patched on load:
#    its work function runs the patched version.
dmesg_mark
ok "insmod livepatch-callbacks-busymod.ko" insmod ./livepatch-callbacks-busymod.ko
wait_dmesg 10 "$P: patched_work_func" "busymod's work runs the patched function"
log=$(dmesg_new)
like "$log" "applying patch '$P' to loading module 'livepatch_callbacks_busymod'" "patch applied to the loading module"
like "$log" "$P: pre_patch_callback: livepatch_callbacks_busymod -> $COMING" "pre_patch callback for the coming module"
like "$log" "$P: post_patch_callback: livepatch_callbacks_busymod -> $COMING" "post_patch callback for the coming module"
unlike "$log" 'busymod_work_func, sleeping' "original work function did not run"
dmesg_mark
ok "rmmod busymod" rmmod livepatch_callbacks_busymod
log=$(dmesg_new)
like "$log" "reverting patch '$P' on unloading module 'livepatch_callbacks_busymod'" "patch reverted from the unloading module"
like "$log" "$P: pre_unpatch_callback: livepatch_callbacks_busymod -> $GOING" "pre_unpatch callback for the going module"
like "$log" "$P: post_unpatch_callback: livepatch_callbacks_busymod -> $GOING" "post_unpatch callback for the going module"

# 3. A failing pre_patch callback blocks loading a target module.
ok "rmmod target module" rmmod livepatch_callbacks_mod
ok "pre_patch_ret = -19" sh -c "echo -19 > /sys/module/$P/parameters/pre_patch_ret"
fails "insmod of the target refused (ENODEV)" insmod ./livepatch-callbacks-mod.ko
fails "target module not loaded" module_loaded livepatch_callbacks_mod
ok "pre_patch_ret = 0" sh -c "echo 0 > /sys/module/$P/parameters/pre_patch_ret"

# 4. Disable: unpatch callbacks for vmlinux.
dmesg_mark
ok "disable the patch" sh -c "echo 0 > $KLP_SYSFS/$P/enabled"
wait_for 30 "patch gone from sysfs" klp_gone $P
log=$(dmesg_new)
like "$log" "$P: pre_unpatch_callback: vmlinux" "pre_unpatch callback for vmlinux"
like "$log" "$P: post_unpatch_callback: vmlinux" "post_unpatch callback for vmlinux"
ok "rmmod the patch" rmmod $P
done_testing
