# shellcheck shell=sh
# fs/binfmt_misc.ko is the lab's in-tree module for module-patching tests.
# Observable from userspace without any device:
#   - /proc/filesystems gains a "nodev	binfmt_misc" line when it loads;
#   - mounted, its "status" file reads "enabled" (bm_status_read());
#     writing 0/1 to it flips that; "register" adds entries that appear as
#     files (bm_register_write(), bm_entry_read()).
# A livepatch for binfmt_misc changes one of those functions and checks
# the output here.
. ./guest-lib.sh

ok "load binfmt_misc" load_module binfmt_misc
like "$(cat /proc/filesystems)" 'binfmt_misc' "/proc/filesystems lists binfmt_misc"
mkdir -p /mnt/binfmt
ok "mount binfmt_misc" mount -t binfmt_misc none /mnt/binfmt
is "$(cat /mnt/binfmt/status)" enabled "status reads enabled"
ok "register an entry" sh -c "echo ':klab:E::klab::/bin/true:' > /mnt/binfmt/register"
like "$(cat /mnt/binfmt/klab 2>&1)" '^enabled' "entry file reads enabled"
like "$(cat /mnt/binfmt/klab 2>&1)" 'interpreter /bin/true' "entry file shows its interpreter"
ok "disable binfmt_misc" sh -c "echo 0 > /mnt/binfmt/status"
is "$(cat /mnt/binfmt/status)" disabled "status reads disabled"
ok "remove all entries" sh -c "echo -1 > /mnt/binfmt/status"
ok "umount" umount /mnt/binfmt
ok "rmmod binfmt_misc" rmmod binfmt_misc
unlike "$(cat /proc/filesystems)" 'binfmt_misc' "binfmt_misc gone from /proc/filesystems"
done_testing
