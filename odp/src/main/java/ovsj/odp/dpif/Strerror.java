package ovsj.odp.dpif;

import ovsj.netlink.Errno;

/**
 * glibc's {@code strerror} texts for the errnos a datapath client meets, as {@code ovs-dpctl} prints
 * them ({@code ovs_retval_to_string}).
 */
public final class Strerror {
    /** OVS's {@code EOF} return value (not an errno). */
    public static final int EOF = -1;

    private Strerror() {
    }

    /** The text for a positive errno; {@code "Unknown error N"} for one not in the table. */
    public static String of(int errno) {
        return switch (errno) {
            case 0 -> "Success";
            case EOF -> "End of file";
            case Errno.EPERM -> "Operation not permitted";
            case Errno.ENOENT -> "No such file or directory";
            case Errno.ESRCH -> "No such process";
            case Errno.EINTR -> "Interrupted system call";
            case Errno.EIO -> "Input/output error";
            case Errno.ENXIO -> "No such device or address";
            case Errno.E2BIG -> "Argument list too long";
            case Errno.EBADF -> "Bad file descriptor";
            case Errno.EAGAIN -> "Resource temporarily unavailable";
            case Errno.ENOMEM -> "Cannot allocate memory";
            case Errno.EACCES -> "Permission denied";
            case Errno.EFAULT -> "Bad address";
            case Errno.EBUSY -> "Device or resource busy";
            case Errno.EEXIST -> "File exists";
            case Errno.ENODEV -> "No such device";
            case Errno.ENOTDIR -> "Not a directory";
            case Errno.EISDIR -> "Is a directory";
            case Errno.EINVAL -> "Invalid argument";
            case Errno.ENFILE -> "Too many open files in system";
            case Errno.EMFILE -> "Too many open files";
            case Errno.EFBIG -> "File too large";
            case Errno.ENOSPC -> "No space left on device";
            case Errno.ESPIPE -> "Illegal seek";
            case Errno.EROFS -> "Read-only file system";
            case Errno.EPIPE -> "Broken pipe";
            case Errno.ERANGE -> "Numerical result out of range";
            case Errno.EDEADLK -> "Resource deadlock avoided";
            case Errno.ENAMETOOLONG -> "File name too long";
            case Errno.ENOSYS -> "Function not implemented";
            case Errno.ENOTEMPTY -> "Directory not empty";
            case Errno.ENODATA -> "No data available";
            case Errno.EPROTO -> "Protocol error";
            case Errno.EBADMSG -> "Bad message";
            case Errno.EOVERFLOW -> "Value too large for defined data type";
            case Errno.EMSGSIZE -> "Message too long";
            case Errno.EPROTOTYPE -> "Protocol wrong type for socket";
            case Errno.ENOPROTOOPT -> "Protocol not available";
            case Errno.EPROTONOSUPPORT -> "Protocol not supported";
            case Errno.EOPNOTSUPP -> "Operation not supported";
            case Errno.EAFNOSUPPORT -> "Address family not supported by protocol";
            case Errno.EADDRINUSE -> "Address already in use";
            case Errno.EADDRNOTAVAIL -> "Cannot assign requested address";
            case Errno.ENETDOWN -> "Network is down";
            case Errno.ENOBUFS -> "No buffer space available";
            case Errno.ETIMEDOUT -> "Connection timed out";
            case Errno.ECONNREFUSED -> "Connection refused";
            case Errno.EALREADY -> "Operation already in progress";
            case Errno.EINPROGRESS -> "Operation now in progress";
            default -> "Unknown error " + errno;
        };
    }
}
