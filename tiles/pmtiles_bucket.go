package tiles

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"path"
	"strconv"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	s3types "github.com/aws/aws-sdk-go-v2/service/s3/types"
	smithyhttp "github.com/aws/smithy-go/transport/http"
	"github.com/protomaps/go-pmtiles/pmtiles"
)

// PMTiles archives on object storage: an S3-compatible bucket (AWS S3,
// MinIO, Ceph RGW, Garage, Cloudflare R2, …) named by a URL in the syntax
// of gocloud.dev, which go-pmtiles also reads:
//
//	s3://BUCKET[/PREFIX][?region=R&endpoint=URL&use_path_style=true]
//
// Credentials come from the environment (AWS_ACCESS_KEY_ID,
// AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN); without them requests are
// anonymous (a public bucket). The region defaults to AWS_REGION, then
// us-east-1; the endpoint to AWS_ENDPOINT_URL_S3 or AWS_ENDPOINT_URL,
// then AWS. The client is the AWS SDK's own S3 client, which go-pmtiles
// already links; reads go through go-pmtiles' Server as for a directory.

// IsBucketURL tells a bucket URL (s3://…) from a local path.
func IsBucketURL(s string) bool { return strings.HasPrefix(s, "s3://") }

// s3Bucket is a bucket with an optional key prefix ("" or "tiles/").
type s3Bucket struct {
	client *s3.Client
	bucket string
	prefix string
	url    string // for messages, without the query
}

// openS3 opens the bucket a URL names. No request is made.
func openS3(raw string) (*s3Bucket, error) {
	u, err := url.Parse(raw)
	if err != nil || u.Scheme != "s3" || u.Host == "" {
		return nil, fmt.Errorf("%q: want s3://BUCKET[/PREFIX][?region=…&endpoint=…&use_path_style=true]", raw)
	}
	q := u.Query()
	region := firstNonEmpty(q.Get("region"), os.Getenv("AWS_REGION"), os.Getenv("AWS_DEFAULT_REGION"), "us-east-1")
	endpoint := firstNonEmpty(q.Get("endpoint"), os.Getenv("AWS_ENDPOINT_URL_S3"), os.Getenv("AWS_ENDPOINT_URL"))
	pathStyle := false
	if v := q.Get("use_path_style"); v != "" {
		if pathStyle, err = strconv.ParseBool(v); err != nil {
			return nil, fmt.Errorf("%s: use_path_style=%q is not a boolean", u.Redacted(), v)
		}
	}
	for k := range q {
		switch k {
		case "region", "endpoint", "use_path_style":
		default:
			return nil, fmt.Errorf("%s: unknown parameter %q (want region, endpoint, use_path_style)", u.Redacted(), k)
		}
	}
	var creds aws.CredentialsProvider = aws.AnonymousCredentials{}
	if id, secret := os.Getenv("AWS_ACCESS_KEY_ID"), os.Getenv("AWS_SECRET_ACCESS_KEY"); id != "" && secret != "" {
		c := aws.Credentials{AccessKeyID: id, SecretAccessKey: secret, SessionToken: os.Getenv("AWS_SESSION_TOKEN"), Source: "environment"}
		creds = aws.CredentialsProviderFunc(func(context.Context) (aws.Credentials, error) { return c, nil })
	}
	opts := s3.Options{Region: region, Credentials: creds, UsePathStyle: pathStyle,
		// Checksums only when the operation requires them: S3-compatible
		// servers do not all know the SDK's newer default ones.
		RequestChecksumCalculation: aws.RequestChecksumCalculationWhenRequired,
		ResponseChecksumValidation: aws.ResponseChecksumValidationWhenRequired,
	}
	if endpoint != "" {
		opts.BaseEndpoint = aws.String(endpoint)
	}
	prefix := strings.Trim(u.Path, "/")
	if prefix != "" {
		prefix += "/"
	}
	return &s3Bucket{client: s3.New(opts), bucket: u.Host, prefix: prefix, url: "s3://" + u.Host + "/" + prefix}, nil
}

func firstNonEmpty(v ...string) string {
	for _, s := range v {
		if s != "" {
			return s
		}
	}
	return ""
}

// statusOf is the HTTP status of a failed S3 call (0 when it did not get
// an answer).
func statusOf(err error) int {
	var re *smithyhttp.ResponseError
	if errors.As(err, &re) {
		return re.HTTPStatusCode()
	}
	return 0
}

// errNoObject is returned for an absent object.
var errNoObject = errors.New("no such object")

// NewRangeReader implements pmtiles.Bucket.
func (b *s3Bucket) NewRangeReader(ctx context.Context, key string, offset, length int64) (io.ReadCloser, error) {
	r, _, _, err := b.NewRangeReaderEtag(ctx, key, offset, length, "")
	return r, err
}

// NewRangeReaderEtag implements pmtiles.Bucket: a ranged GET, conditional
// on etag when given (a changed archive answers 412, which tells go-pmtiles
// to reload its directories).
func (b *s3Bucket) NewRangeReaderEtag(ctx context.Context, key string, offset, length int64, etag string) (io.ReadCloser, string, int, error) {
	in := &s3.GetObjectInput{Bucket: &b.bucket, Key: aws.String(b.prefix + key),
		Range: aws.String(fmt.Sprintf("bytes=%d-%d", offset, offset+length-1))}
	if etag != "" {
		in.IfMatch = aws.String(etag)
	}
	out, err := b.client.GetObject(ctx, in)
	if err != nil {
		st := statusOf(err)
		if st == http.StatusPreconditionFailed || st == http.StatusRequestedRangeNotSatisfiable {
			return nil, "", st, &pmtiles.RefreshRequiredError{StatusCode: st}
		}
		if st == 0 {
			st = http.StatusBadGateway
		}
		return nil, "", st, fmt.Errorf("%s%s: %w", b.url, key, err)
	}
	return out.Body, aws.ToString(out.ETag), http.StatusPartialContent, nil
}

// Close implements pmtiles.Bucket.
func (b *s3Bucket) Close() error { return nil }

// objectInfo describes an archive file or object.
type objectInfo struct {
	name    string // file name, e.g. lucca.pmtiles
	size    int64
	modTime time.Time
}

func (b *s3Bucket) stat(ctx context.Context, name string) (objectInfo, error) {
	out, err := b.client.HeadObject(ctx, &s3.HeadObjectInput{Bucket: &b.bucket, Key: aws.String(b.prefix + name)})
	if err != nil {
		if statusOf(err) == http.StatusNotFound {
			return objectInfo{}, errNoObject
		}
		return objectInfo{}, fmt.Errorf("%s%s: %w", b.url, name, err)
	}
	return objectInfo{name: name, size: aws.ToInt64(out.ContentLength), modTime: aws.ToTime(out.LastModified)}, nil
}

// list returns the objects directly under the prefix whose name ends in
// suffix.
func (b *s3Bucket) list(ctx context.Context, suffix string) ([]objectInfo, error) {
	var out []objectInfo
	p := s3.NewListObjectsV2Paginator(b.client, &s3.ListObjectsV2Input{Bucket: &b.bucket, Prefix: aws.String(b.prefix), Delimiter: aws.String("/")})
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			return nil, fmt.Errorf("list %s: %w", b.url, err)
		}
		for _, o := range page.Contents {
			name := strings.TrimPrefix(aws.ToString(o.Key), b.prefix)
			if strings.HasSuffix(name, suffix) && !strings.Contains(name, "/") {
				out = append(out, objectInfo{name: name, size: aws.ToInt64(o.Size), modTime: aws.ToTime(o.LastModified)})
			}
		}
	}
	return out, nil
}

// open returns the object as an io.ReadSeekCloser for http.ServeContent.
func (b *s3Bucket) open(ctx context.Context, info objectInfo) (io.ReadSeekCloser, error) {
	return &objectReader{ctx: ctx, b: b, key: b.prefix + info.name, size: info.size}, nil
}

// objectReader reads an object from an offset: a Seek only moves the
// offset, and the next Read opens one ranged GET to the end of the object,
// so that serving a range costs one request.
type objectReader struct {
	ctx  context.Context
	b    *s3Bucket
	key  string
	size int64
	off  int64
	body io.ReadCloser
}

func (r *objectReader) Read(p []byte) (int, error) {
	if r.off >= r.size {
		return 0, io.EOF
	}
	if r.body == nil {
		out, err := r.b.client.GetObject(r.ctx, &s3.GetObjectInput{Bucket: &r.b.bucket, Key: &r.key, Range: aws.String(fmt.Sprintf("bytes=%d-", r.off))})
		if err != nil {
			return 0, fmt.Errorf("%s: %w", r.key, err)
		}
		r.body = out.Body
	}
	n, err := r.body.Read(p)
	r.off += int64(n)
	return n, err
}

func (r *objectReader) Seek(offset int64, whence int) (int64, error) {
	var abs int64
	switch whence {
	case io.SeekStart:
		abs = offset
	case io.SeekCurrent:
		abs = r.off + offset
	case io.SeekEnd:
		abs = r.size + offset
	default:
		return 0, errors.New("seek: bad whence")
	}
	if abs < 0 {
		return 0, errors.New("seek: negative position")
	}
	if abs != r.off && r.body != nil {
		r.body.Close()
		r.body = nil
	}
	r.off = abs
	return abs, nil
}

func (r *objectReader) Close() error {
	if r.body == nil {
		return nil
	}
	err := r.body.Close()
	r.body = nil
	return err
}

// uploadPartSize is the part of a multipart upload (a variable for tests;
// S3 wants at least 5 MiB per part but the last, and at most 10 000 parts).
var uploadPartSize int64 = 64 << 20

// put uploads a local file as name: one PUT when it is small, a multipart
// upload (aborted on error) otherwise.
func (b *s3Bucket) put(ctx context.Context, name, file, contentType, cacheControl string) error {
	f, err := os.Open(file)
	if err != nil {
		return err
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return err
	}
	key := aws.String(b.prefix + name)
	var cc *string
	if cacheControl != "" {
		cc = aws.String(cacheControl)
	}
	if st.Size() <= uploadPartSize {
		_, err := b.client.PutObject(ctx, &s3.PutObjectInput{Bucket: &b.bucket, Key: key, Body: f, ContentLength: aws.Int64(st.Size()),
			ContentType: aws.String(contentType), CacheControl: cc})
		if err != nil {
			return fmt.Errorf("upload %s%s: %w", b.url, name, err)
		}
		return nil
	}
	mp, err := b.client.CreateMultipartUpload(ctx, &s3.CreateMultipartUploadInput{Bucket: &b.bucket, Key: key, ContentType: aws.String(contentType), CacheControl: cc})
	if err != nil {
		return fmt.Errorf("upload %s%s: %w", b.url, name, err)
	}
	parts, err := b.putParts(ctx, f, st.Size(), key, mp.UploadId)
	if err == nil {
		_, err = b.client.CompleteMultipartUpload(ctx, &s3.CompleteMultipartUploadInput{Bucket: &b.bucket, Key: key, UploadId: mp.UploadId,
			MultipartUpload: &s3types.CompletedMultipartUpload{Parts: parts}})
	}
	if err != nil {
		// A fresh context: the upload's may be what was cancelled.
		actx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 30*time.Second)
		defer cancel()
		b.client.AbortMultipartUpload(actx, &s3.AbortMultipartUploadInput{Bucket: &b.bucket, Key: key, UploadId: mp.UploadId})
		return fmt.Errorf("upload %s%s: %w", b.url, name, err)
	}
	return nil
}

func (b *s3Bucket) putParts(ctx context.Context, f *os.File, size int64, key, uploadID *string) ([]s3types.CompletedPart, error) {
	var parts []s3types.CompletedPart
	for off, n := int64(0), int32(1); off < size; off, n = off+uploadPartSize, n+1 {
		length := min(uploadPartSize, size-off)
		out, err := b.client.UploadPart(ctx, &s3.UploadPartInput{Bucket: &b.bucket, Key: key, UploadId: uploadID, PartNumber: aws.Int32(n),
			Body: io.NewSectionReader(f, off, length), ContentLength: aws.Int64(length)})
		if err != nil {
			return nil, fmt.Errorf("part %d: %w", n, err)
		}
		parts = append(parts, s3types.CompletedPart{ETag: out.ETag, PartNumber: aws.Int32(n)})
	}
	return parts, nil
}

// bucketKey splits an archive URL s3://BUCKET/PREFIX/NAME.pmtiles?… into
// the bucket URL (s3://BUCKET/PREFIX?…) and the object name.
func bucketKey(raw string) (bucketURL, name string, err error) {
	u, err := url.Parse(raw)
	if err != nil || u.Scheme != "s3" {
		return "", "", fmt.Errorf("%q is not an s3:// URL", raw)
	}
	dir, file := path.Split(u.Path)
	if file == "" {
		return "", "", fmt.Errorf("%s: name the archive (s3://BUCKET/[PREFIX/]NAME.pmtiles)", u.Redacted())
	}
	u.Path = dir
	return u.String(), file, nil
}

// The bucket is a go-pmtiles bucket for its server and a store of archives.
var (
	_ pmtiles.Bucket = (*s3Bucket)(nil)
	_ archiveStore   = (*s3Bucket)(nil)
	_ archiveStore   = dirStore{}
)
